// The agent's EventRecorder: pod events as core/v1 Event objects sent over the control-plane link.
// Repeats of the same (pod, type, reason, message, fieldPath) fold into one Event whose count and
// lastTimestamp grow, as the kubelet's event correlator does, so a crash loop is one line in
// `kubectl describe`, not hundreds of objects.
import { randomBytes } from 'node:crypto';
import { nowRfc3339, type KubeObject } from '../api/types.js';
import type { EventRecorder } from './podworker/deps.js';

/** folded series remembered at most (oldest forgotten first) */
const MAX_SERIES = 4096;

interface Series {
  name: string;
  count: number;
  firstTimestamp: string;
}

export interface EventSink {
  sendEvent(event: KubeObject): void;
}

export function eventKey(pod: KubeObject, type: string, reason: string, message: string, fieldPath?: string): string {
  return [pod.metadata.uid ?? '', type, reason, fieldPath ?? '', message].join('\u0000');
}

/** Pure: the Event object for one occurrence of a (possibly folded) series. */
export function buildEvent(
  pod: KubeObject,
  nodeName: string,
  ev: { type: string; reason: string; message: string; fieldPath?: string },
  series: Series,
  now: string,
): KubeObject {
  const involvedObject: Record<string, unknown> = {
    kind: 'Pod',
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    apiVersion: 'v1',
  };
  if (pod.metadata.resourceVersion) involvedObject.resourceVersion = pod.metadata.resourceVersion;
  if (ev.fieldPath) involvedObject.fieldPath = ev.fieldPath;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: series.name, namespace: pod.metadata.namespace ?? 'default' },
    involvedObject,
    reason: ev.reason,
    message: ev.message,
    type: ev.type,
    source: { component: 'kubelet', host: nodeName },
    reportingComponent: 'kubelet',
    reportingInstance: nodeName,
    count: series.count,
    firstTimestamp: series.firstTimestamp,
    lastTimestamp: now,
  } as KubeObject;
}

export class LinkEventRecorder implements EventRecorder {
  private readonly series = new Map<string, Series>();

  constructor(
    private readonly sink: EventSink,
    private readonly nodeName: string,
    private readonly now: () => number = Date.now,
  ) {}

  event(pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    const key = eventKey(pod, type, reason, message, fieldPath);
    const now = nowRfc3339(new Date(this.now()));
    let s = this.series.get(key);
    if (s) {
      s.count++;
      // re-insert: Map order doubles as LRU order
      this.series.delete(key);
    } else {
      // kubelet-style name: <pod>.<16 hex>, unique per series
      s = { name: `${pod.metadata.name}.${randomBytes(8).toString('hex')}`, count: 1, firstTimestamp: now };
    }
    this.series.set(key, s);
    if (this.series.size > MAX_SERIES) this.series.delete(this.series.keys().next().value!);
    this.sink.sendEvent(buildEvent(pod, this.nodeName, { type, reason, message, fieldPath }, s, now));
  }

  /** forget the series of a pod that is gone (keeps the cache small) */
  forgetPod(uid: string): void {
    for (const k of [...this.series.keys()]) if (k.startsWith(`${uid}\u0000`)) this.series.delete(k);
  }
}
