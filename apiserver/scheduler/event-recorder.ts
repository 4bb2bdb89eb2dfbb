// core/v1 Events about pods, with the repeat-folding Kubernetes does: the same reason and message
// for the same pod within the window bumps `count` and `lastTimestamp` on the existing Event
// instead of creating a new one (so a pod retried every few seconds does not flood `describe`).
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
  /** repeats within this window fold into one Event; default 60 s */
  windowMs?: number;
}

interface Seen {
  name: string;
  namespace: string;
  lastMs: number;
}

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private readonly clock: Clock;
  private readonly windowMs: number;
  private seq = 0;

  constructor(
    private readonly registry: Registry,
    private readonly opts: EventRecorderOptions,
  ) {
    this.clock = opts.clock ?? realClock;
    this.windowMs = opts.windowMs ?? 60_000;
  }

  async record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const nowMs = this.clock.now();
    const now = nowRfc3339(new Date(nowMs));
    const ns = obj.metadata.namespace ?? 'default';
    this.prune(nowMs);
    const foldKey = `${ns}/${obj.metadata.name}/${obj.metadata.uid}/${type}/${reason}/${message}`;
    const prev = this.seen.get(foldKey);
    // 1: a recent twin exists → bump it.
    if (prev) {
      try {
        await this.registry.guaranteedUpdate(
          EVENTS,
          prev.namespace,
          prev.name,
          (cur) => {
            cur!.count = (cur!.count ?? 1) + 1;
            cur!.lastTimestamp = now;
            return cur!;
          },
          { user: this.opts.user, fieldManager: this.opts.component },
        );
        prev.lastMs = nowMs;
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
    this.seen.set(foldKey, { name, namespace: ns, lastMs: nowMs });
  }

  private prune(nowMs: number): void {
    for (const [k, s] of this.seen) if (nowMs - s.lastMs >= this.windowMs) this.seen.delete(k);
  }
}
