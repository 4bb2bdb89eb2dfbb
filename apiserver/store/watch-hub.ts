import { ApiError } from '../../lib/errors.js';
import { logger } from '../../lib/logger.js';
import type { Store, StoreEvent, WatchHandle } from './store.js';

const log = logger('watch-hub');

export interface WatchHubOptions {
  /** how many recent events to keep for resuming watches; default 10000 */
  historySize?: number;
  /**
   * at most this many bytes of object text in the history (values plus unshared previous values);
   * default 8 MiB. Events hold whole objects, so a count alone can pin tens of MiB; older events
   * go first and a resume from before them gets 410 Expired (the client relists).
   */
  historyBytes?: number;
}

interface Subscriber {
  prefix: string;
  /** revision of the last event delivered (or the start revision): nothing at or below is sent again */
  cursor: number;
  onEvent: (ev: StoreEvent) => void;
  cancelled: boolean;
  /** live events that arrived while this subscriber was still replaying history */
  backlog: StoreEvent[] | undefined;
}

/**
 * One store watch fanned out to every HTTP/gRPC watcher, with a bounded history so a client can
 * resume from the resourceVersion of its last list or event (Kubernetes' watch cache). Delivery is
 * a synchronous callback: subscribers queue for themselves, so a slow one never blocks the rest.
 */
export class WatchHub {
  private readonly historySize: number;
  private readonly historyBytes: number;
  /** the latest events, oldest at `head` (slots before it are dropped; compacted now and then) */
  private ring: (StoreEvent | undefined)[] = [];
  /** bytes each ring slot accounts for, parallel to ring */
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  private startRevision = -1;
  /** revision of the newest event dropped from the ring (0 = none) */
  private droppedRevision = 0;
  private lastRevision = 0;
  private readonly subs = new Set<Subscriber>();
  /** newest remembered event per key: an update's `prev` is usually its value, so they share it */
  private readonly latest = new Map<string, StoreEvent>();
  private handle: WatchHandle | undefined;
  /** events that arrived while fanning out (a callback wrote to the store); drained in order */
  private readonly incoming: StoreEvent[] = [];
  private dispatching = false;

  constructor(
    private readonly store: Store,
    opts: WatchHubOptions = {},
  ) {
    this.historySize = Math.max(1, opts.historySize ?? 10000);
    this.historyBytes = Math.max(1, opts.historyBytes ?? 8 * 2 ** 20);
  }

  async start(): Promise<void> {
    if (this.handle) return;
    // a write may land between reading the revision and watching from it; the store then says
    // Expired and we read again
    for (let attempt = 0; ; attempt++) {
      const rev = await this.store.currentRevision();
      try {
        this.handle = this.store.watch(rev, (ev) => this.onStoreEvent(ev));
        this.startRevision = rev;
        this.lastRevision = rev;
        return;
      } catch (err) {
        if (!(err instanceof ApiError && err.reason === 'Expired') || attempt >= 100) throw err;
      }
    }
  }

  stop(): void {
    this.handle?.cancel();
    this.handle = undefined;
    for (const s of this.subs) s.cancelled = true;
    this.subs.clear();
    this.latest.clear();
  }

  /** Events and bytes currently held for resuming (diagnostics and tests). */
  historyStats(): { events: number; bytes: number } {
    return { events: this.ring.length - this.head, bytes: this.bytes };
  }

  /** The oldest fromRevision that subscribe() can still serve completely. */
  oldestRevision(): number {
    return Math.max(this.startRevision, this.droppedRevision);
  }

  /** The newest revision the hub has seen: what a BOOKMARK event should carry. */
  currentRevision(): number {
    return this.lastRevision;
  }

  /**
   * Deliver buffered events under `prefix` with revision > fromRevision, then live ones, in order,
   * each exactly once. Throws ApiError Expired (HTTP 410) when history no longer reaches back.
   */
  subscribe(prefix: string, fromRevision: number, onEvent: (ev: StoreEvent) => void): { cancel(): void } {
    if (!this.handle) throw new Error('watch hub not started');
    const oldest = this.oldestRevision();
    if (fromRevision < oldest) {
      throw new ApiError('Expired', `too old resource version: ${fromRevision} (${oldest})`);
    }
    // registered before replay so nothing committed meanwhile (by a callback) can slip through
    const sub: Subscriber = { prefix, cursor: fromRevision, onEvent, cancelled: false, backlog: [] };
    this.subs.add(sub);
    const cancel = () => {
      sub.cancelled = true;
      this.subs.delete(sub);
    };
    for (const ev of this.historyAfter(fromRevision)) this.deliver(sub, ev);
    // drain what arrived during replay; deliver() may grow the backlog again, hence the loop
    for (let ev = sub.backlog!.shift(); ev; ev = sub.backlog!.shift()) this.deliver(sub, ev);
    sub.backlog = undefined;
    return { cancel };
  }

  private onStoreEvent(ev: StoreEvent): void {
    this.incoming.push(ev);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let e = this.incoming.shift(); e; e = this.incoming.shift()) this.dispatch(e);
    } finally {
      this.dispatching = false;
    }
  }

  private dispatch(ev: StoreEvent): void {
    if (ev.revision <= this.lastRevision) return; // a store never repeats; stay safe if one does
    this.lastRevision = ev.revision;
    this.remember(ev);
    for (const sub of [...this.subs]) {
      if (sub.backlog) sub.backlog.push(ev);
      else this.deliver(sub, ev);
    }
  }

  private deliver(sub: Subscriber, ev: StoreEvent): void {
    if (sub.cancelled || ev.revision <= sub.cursor) return;
    sub.cursor = ev.revision;
    if (!ev.key.startsWith(sub.prefix)) return;
    try {
      sub.onEvent(ev);
    } catch (err) {
      log.error({ err, key: ev.key, revision: ev.revision }, 'watch subscriber callback failed');
    }
  }

  /**
   * The history holds most objects twice (as one event's value and the next one's prev), each a
   * separate multi-KiB string read back from the store; pointing prev at the previous event's
   * value (same key, same revision, so the same text) halves what the history keeps alive.
   */
  private remember(ev: StoreEvent): void {
    const last = this.latest.get(ev.key);
    let sharedPrev = false;
    if (last && ev.prev && last.type === 'put' && last.kv.modRevision === ev.prev.modRevision) {
      ev.prev = last.kv;
      if (ev.type === 'delete') ev.kv = { ...ev.kv, value: last.kv.value };
      sharedPrev = true;
    }
    if (ev.type === 'put') this.latest.set(ev.key, ev);
    else this.latest.delete(ev.key);
    // a shared prev is counted with the event it came from (approximate once that one is dropped)
    const prevBytes = ev.prev && !sharedPrev && ev.prev.value !== ev.kv.value ? ev.prev.value.length : 0;
    const size = ev.key.length + ev.kv.value.length + prevBytes;
    this.ring.push(ev);
    this.sizes.push(size);
    this.bytes += size;
    // keep the newest event even when it alone exceeds the budget
    while (this.ring.length - this.head > 1 && (this.ring.length - this.head > this.historySize || this.bytes > this.historyBytes)) this.dropOldest();
  }

  private dropOldest(): void {
    const dropped = this.ring[this.head]!;
    if (this.latest.get(dropped.key) === dropped) this.latest.delete(dropped.key);
    this.droppedRevision = dropped.revision;
    this.bytes -= this.sizes[this.head]!;
    this.ring[this.head] = undefined;
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.ring.length) {
      this.ring = this.ring.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Buffered events with revision > rev, oldest first. A copy, because replay callbacks may write
   * and so rotate the ring; binary search keeps resuming cheap with a large history.
   */
  private historyAfter(rev: number): StoreEvent[] {
    const n = this.ring.length;
    const at = (i: number) => this.ring[i]!;
    let lo = this.head;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at(mid).revision <= rev) lo = mid + 1;
      else hi = mid;
    }
    const out: StoreEvent[] = [];
    for (let i = lo; i < n; i++) out.push(at(i));
    return out;
  }
}
