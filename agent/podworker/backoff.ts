// Per (pod uid, container) CrashLoopBackOff and per (pod uid, image) ImagePullBackOff, shaped like
// client-go's flowcontrol.Backoff as the kubelet uses it: 10 s doubling to 300 s, and an entry whose
// last update is more than 2 × max (10 minutes) behind the event is stale, so a container that ran
// for 10 minutes starts over at 10 s. Pure: every call takes the time, nothing reads a clock.

export const BACKOFF_INITIAL_SEC = 10;
export const BACKOFF_MAX_SEC = 300;

interface Entry {
  delaySec: number;
  /** when the last restart/pull attempt was made (ms) */
  lastUpdate: number;
}

export interface BackoffWindow {
  /** ms epoch when the back-off ends */
  until: number;
  delaySec: number;
}

/** The read side computePodActions needs (pure decisions over the current table). */
export interface BackoffView {
  /** CrashLoopBackOff: is a container that finished at finishedAt still inside its back-off window? */
  crashBackOff(key: string, finishedAtMs: number, nowMs: number): BackoffWindow | undefined;
}

export const crashKey = (podUid: string, container: string): string => `${podUid}/${container}`;
export const pullKey = (podUid: string, image: string): string => `${podUid}/image/${image}`;

export class BackoffTable implements BackoffView {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly initialSec = BACKOFF_INITIAL_SEC,
    readonly maxSec = BACKOFF_MAX_SEC,
  ) {}

  private stale(e: Entry, eventMs: number): boolean {
    return eventMs - e.lastUpdate >= 2 * this.maxSec * 1000;
  }

  /** kubelet IsInBackOffSince: the window is measured from the container's finish time. */
  crashBackOff(key: string, finishedAtMs: number, nowMs: number): BackoffWindow | undefined {
    const e = this.entries.get(key);
    if (!e || this.stale(e, finishedAtMs)) return undefined;
    const until = finishedAtMs + e.delaySec * 1000;
    return nowMs < until ? { until, delaySec: e.delaySec } : undefined;
  }

  /** kubelet IsInBackOffSinceUpdate: the window is measured from the last failed pull. */
  pullBackOff(key: string, nowMs: number): BackoffWindow | undefined {
    const e = this.entries.get(key);
    if (!e || this.stale(e, nowMs)) return undefined;
    const until = e.lastUpdate + e.delaySec * 1000;
    return nowMs < until ? { until, delaySec: e.delaySec } : undefined;
  }

  /**
   * Record an attempt (a restart after a crash, a failed pull). eventMs decides staleness (the
   * container's finish time, or now for pulls); the entry is stamped with nowMs. Returns the delay
   * that the next failure will have to wait.
   */
  next(key: string, eventMs: number, nowMs: number = eventMs): number {
    const e = this.entries.get(key);
    const delaySec = !e || this.stale(e, eventMs) ? this.initialSec : Math.min(e.delaySec * 2, this.maxSec);
    this.entries.set(key, { delaySec, lastUpdate: nowMs });
    return delaySec;
  }

  current(key: string): { delaySec: number; lastUpdate: number } | undefined {
    const e = this.entries.get(key);
    return e ? { ...e } : undefined;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drop everything of a pod (it is gone from this node). */
  forgetPod(podUid: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(`${podUid}/`)) this.entries.delete(k);
  }

  /** Drop stale entries so the table does not grow with dead pods. */
  gc(nowMs: number): void {
    for (const [k, e] of this.entries) if (this.stale(e, nowMs)) this.entries.delete(k);
  }

  size(): number {
    return this.entries.size;
  }
}

/** Go's time.Duration String() for whole seconds ("10s", "1m20s", "5m0s"), as kubelet messages print it. */
export function goDuration(sec: number): string {
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h${m}m${r}s` : `${m}m${r}s`;
}
