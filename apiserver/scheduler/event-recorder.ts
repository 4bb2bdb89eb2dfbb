// core/v1 Events about pods, with the repeat-folding Kubernetes does: the same reason and message
// for the same pod within the window bumps `count` and `lastTimestamp` on the existing Event
// instead of creating a new one (so a pod retried every few seconds does not flood `describe`).
// Bumps are written at most once per bumpIntervalMs per Event; repeats in between are counted
// locally and land with the next bump, so a storm of retries costs one write a minute per pod.
// Like client-go's correlator cache, the memory of recent Events is bounded (LRU).
import { resourceFor } from '../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { isNotFound } from '../../lib/errors.js';
import { realClock, type Clock } from '../../lib/clock.js';
import type { Registry, UserInfo } from '../registry/types.js';

const EVENTS = resourceFor('', 'events')!;

export interface EventRecorderOptions {
  component: string;
  user: UserInfo;
  clock?: Clock;
  /** a repeat within this long of the previous occurrence folds into the same Event; default 10 min */
  windowMs?: number;
  /** at most one count-bump write per Event this often; default 60 s */
  bumpIntervalMs?: number;
  /** how many distinct recent Events are remembered for folding; default 4096 */
  maxTracked?: number;
}

interface Seen {
  name: string;
  namespace: string;
  /** last occurrence (written or not) */
  lastMs: number;
  /** last write of this Event (create or bump) */
  writtenMs: number;
  /** occurrences not yet added to the stored count */
  unwritten: number;
}

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly bumpIntervalMs: number;
  private readonly maxTracked: number;
  private seq = 0;

  constructor(
    private readonly registry: Registry,
    private readonly opts: EventRecorderOptions,
  ) {
    this.clock = opts.clock ?? realClock;
    this.windowMs = opts.windowMs ?? 10 * 60_000;
    this.bumpIntervalMs = opts.bumpIntervalMs ?? 60_000;
    this.maxTracked = Math.max(1, opts.maxTracked ?? 4096);
  }

  async record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const nowMs = this.clock.now();
    const now = nowRfc3339(new Date(nowMs));
    const ns = obj.metadata.namespace ?? 'default';
    this.prune(nowMs);
    const foldKey = `${ns}/${obj.metadata.name}/${obj.metadata.uid}/${type}/${reason}/${message}`;
    const prev = this.seen.get(foldKey);
    // 1: a recent twin exists → count it, and bump the stored Event when the interval allows.
    if (prev) {
      this.touch(foldKey, prev, nowMs);
      prev.unwritten++;
      if (nowMs - prev.writtenMs < this.bumpIntervalMs) return;
      const add = prev.unwritten;
      try {
        await this.registry.guaranteedUpdate(
          EVENTS,
          prev.namespace,
          prev.name,
          (cur) => {
            cur!.count = (cur!.count ?? 1) + add;
            cur!.lastTimestamp = now;
            return cur!;
          },
          { user: this.opts.user, fieldManager: this.opts.component },
        );
        prev.unwritten -= add;
        prev.writtenMs = nowMs;
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.seen.delete(foldKey);
      }
    }
    // 2: otherwise a new Event named like client-go's: <object>.<hex nanoseconds>.
    const nanos = BigInt(nowMs) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const name = `${obj.metadata.name}.${nanos.toString(16)}`;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: {
        kind: obj.kind ?? 'Pod',
        namespace: ns,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: obj.apiVersion ?? 'v1',
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      source: { component: this.opts.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.opts.component,
      reportingInstance: '',
    };
    await this.registry.create(EVENTS, ns, event, { user: this.opts.user, fieldManager: this.opts.component });
    this.touch(foldKey, { name, namespace: ns, lastMs: nowMs, writtenMs: nowMs, unwritten: 0 }, nowMs);
    while (this.seen.size > this.maxTracked) this.seen.delete(this.seen.keys().next().value!);
  }

  /** Re-insert at the end: the map stays ordered by last occurrence, so pruning stops early. */
  private touch(key: string, s: Seen, nowMs: number): void {
    s.lastMs = nowMs;
    this.seen.delete(key);
    this.seen.set(key, s);
  }

  private prune(nowMs: number): void {
    for (const [k, s] of this.seen) {
      if (nowMs - s.lastMs < this.windowMs) break;
      this.seen.delete(k);
    }
  }
}
