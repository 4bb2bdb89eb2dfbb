// What the agent owes the control plane. Pod statuses are versioned per pod uid and only the latest
// is kept; after a reconnect every known pod's latest status is sent again (the server drops stale
// versions, so repeats are harmless). Events queue while disconnected, bounded, oldest dropped.
// Node status and lease are "latest wins".
import type { KubeObject } from '../../api/types.js';
import type { AgentMessage } from '../../proto/load.js';

export type Writer = (msg: AgentMessage) => void;

interface PodEntry {
  msg: AgentMessage;
}

export const MAX_QUEUED_EVENTS = 1000;

export class Outbox {
  private readonly pods = new Map<string, PodEntry>();
  private readonly versions = new Map<string, number>();
  private events: AgentMessage[] = [];
  private nodeStatus?: AgentMessage;
  private leaseOwed = false;
  private writer?: Writer;
  private droppedEvents = 0;

  constructor(
    private readonly maxEvents = MAX_QUEUED_EVENTS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Connected: flush everything owed through w. Disconnected: pass undefined. */
  setWriter(w: Writer | undefined): void {
    this.writer = w;
    if (!w) return;
    if (this.nodeStatus) this.write(this.nodeStatus);
    if (this.leaseOwed) this.lease();
    for (const e of this.pods.values()) this.write(e.msg);
    const queued = this.events;
    this.events = [];
    for (const ev of queued) this.write(ev);
  }

  podStatus(pod: KubeObject, status: KubeObject['status'], terminated: boolean): void {
    const uid = pod.metadata.uid ?? '';
    // Wall-clock based so versions keep increasing across agent restarts (the server remembers them).
    const version = Math.max((this.versions.get(uid) ?? 0) + 1, this.now());
    this.versions.set(uid, version);
    const msg: AgentMessage = {
      podStatus: {
        namespace: pod.metadata.namespace ?? '',
        name: pod.metadata.name ?? '',
        uid,
        statusJson: Buffer.from(JSON.stringify(status ?? {})),
        version,
        terminated,
      },
    };
    this.pods.set(uid, { msg });
    if (this.writer) this.write(msg);
  }

  /** The pod left the desired state: nothing more to report for it. */
  podGone(uid: string): void {
    this.pods.delete(uid);
    this.versions.delete(uid);
  }

  event(event: KubeObject): void {
    const msg: AgentMessage = { event: { eventJson: Buffer.from(JSON.stringify(event)) } };
    if (this.writer) return this.write(msg);
    this.events.push(msg);
    if (this.events.length > this.maxEvents) {
      this.events.splice(0, this.events.length - this.maxEvents);
      this.droppedEvents++;
    }
  }

  node(node: KubeObject): void {
    this.nodeStatus = { nodeStatus: { nodeJson: Buffer.from(JSON.stringify(node)) } };
    if (this.writer) this.write(this.nodeStatus);
  }

  lease(): void {
    if (!this.writer) {
      this.leaseOwed = true;
      return;
    }
    this.leaseOwed = false;
    this.write({ lease: { renewTimeUnixMs: this.now() } });
  }

  /** For tests and metrics. */
  stats(): { pods: number; queuedEvents: number; droppedEvents: number } {
    return { pods: this.pods.size, queuedEvents: this.events.length, droppedEvents: this.droppedEvents };
  }

  private write(msg: AgentMessage): void {
    this.writer?.(msg);
  }
}
