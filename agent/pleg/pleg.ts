// Pod lifecycle event generator: Docker events nudge the affected pod's worker at once (fast
// start); a relist every few seconds compares container states and nudges changed pods (the net
// for lost events, e.g. while the event stream reconnects).
import type { Logger } from '../../lib/logger.js';
import type { Runtime, RuntimePod } from '../runtime/runtime.js';
import { changedPods, snapshotOf, type RelistSnapshot } from './relist.js';

export interface PlegOptions {
  runtime: Pick<Runtime, 'events'>;
  /** a fresh listing of every pod (RuntimePodLister.list) */
  list(): Promise<RuntimePod[]>;
  nudge(podUid: string): void;
  log: Logger;
  relistMs?: number;
  /** called after each successful relist (GC, metrics) */
  onRelist?(pods: RuntimePod[]): void;
}

export class Pleg {
  private snapshot: RelistSnapshot = new Map();
  private timer?: ReturnType<typeof setTimeout>;
  private unsubscribe?: () => void;
  private stopped = false;

  constructor(private readonly opts: PlegOptions) {}

  start(): void {
    this.unsubscribe = this.opts.runtime.events((ev) => this.opts.nudge(ev.podUid));
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe?.();
  }

  /** one relist; returns the uids that changed since the previous one */
  async relist(): Promise<Set<string>> {
    const pods = await this.opts.list();
    const next = snapshotOf(pods);
    const changed = changedPods(this.snapshot, next);
    this.snapshot = next;
    for (const uid of changed) this.opts.nudge(uid);
    this.opts.onRelist?.(pods);
    return changed;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.relist()
        .catch((e) => this.opts.log.warn({ err: (e as Error).message }, 'relist failed'))
        .finally(() => this.schedule(this.opts.relistMs ?? 5_000));
    }, ms);
    this.timer.unref?.();
  }
}
