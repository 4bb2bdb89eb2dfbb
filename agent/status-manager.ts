// The status manager: the StatusSink of the pod workers. It remembers the last status sent per pod
// uid and forwards a status to the link only when it differs, so a resync every few seconds costs
// nothing on the wire. The link itself is the versioned outbox (latest per uid, resent on reconnect).
import type { KubeObject } from '../api/types.js';
import type { StatusSink } from './podworker/deps.js';

export interface StatusLink {
  sendPodStatus(pod: KubeObject, status: KubeObject['status'], terminated: boolean): void;
}

/** Stable JSON (sorted keys) so two equal statuses compare equal whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export class StatusManager implements StatusSink {
  private readonly sent = new Map<string, { json: string; status: KubeObject['status'] }>();

  constructor(private readonly link: StatusLink) {}

  setPodStatus(pod: KubeObject, status: KubeObject['status']): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    const json = canonicalJson(status);
    if (this.sent.get(uid)?.json === json) return;
    this.sent.set(uid, { json, status });
    this.link.sendPodStatus(pod, status, false);
  }

  podTerminated(pod: KubeObject): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    const last = this.sent.get(uid)?.status ?? pod.status;
    this.sent.delete(uid);
    this.link.sendPodStatus(pod, last, true);
  }

  /** the last status sent for a pod (tests, logs) */
  lastSent(uid: string): KubeObject['status'] | undefined {
    return this.sent.get(uid)?.status;
  }

  /** forget a pod that vanished without a termination report */
  forget(uid: string): void {
    this.sent.delete(uid);
  }
}
