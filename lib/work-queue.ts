// A keyed work queue with client-go's guarantees: a key waits at most once (dedup while queued),
// one key is never handled by two workers at the same time, and a key added while being handled is
// handled again once done() is called. Delayed and rate-limited adds sit on top.
import { KeyedBackoff, type BackoffOptions } from './backoff.js';
import { realClock, type Clock, type TimerHandle } from './clock.js';

export interface WorkQueueOptions {
  clock?: Clock;
  /** per-key retry backoff for addRateLimited; default 5 ms doubling to 1000 s like client-go */
  backoff?: BackoffOptions;
}

export class WorkQueue<K = string> {
  private readonly clock: Clock;
  private readonly limiter: KeyedBackoff<K>;
  private readonly queue: K[] = [];
  /** keys that need handling (queued, or re-added while processing) */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiting = new Map<K, { at: number; handle: TimerHandle }>();
  private readonly getters: ((key: K | undefined) => void)[] = [];
  private down = false;

  constructor(opts: WorkQueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.limiter = new KeyedBackoff<K>(opts.backoff ?? { initialMs: 5, maxMs: 1_000_000 });
  }

  add(key: K): void {
    if (this.down || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // done() re-queues it
    this.push(key);
  }

  /** Add once ms have passed; an earlier pending delay for the same key wins. */
  addAfter(key: K, ms: number): void {
    if (this.down) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const prev = this.waiting.get(key);
    if (prev && prev.at <= at) return;
    if (prev) this.clock.clearTimeout(prev.handle);
    const handle = this.clock.setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { at, handle });
  }

  /** Re-add after this key's next backoff delay (grows per failure until forget()). */
  addRateLimited(key: K): void {
    this.addAfter(key, this.limiter.next(key));
  }

  /** Reset the key's failure count (call after a successful sync). */
  forget(key: K): void {
    this.limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.limiter.attempts(key);
  }

  /** Next key to handle; undefined once the queue is shut down. Call done(key) when finished. */
  get(): Promise<K | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.down) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.down) this.push(key);
  }

  /** Keys waiting to be handled (not counting delayed or in-flight ones). */
  len(): number {
    return this.queue.length;
  }

  isProcessing(key: K): boolean {
    return this.processing.has(key);
  }

  shutdown(): void {
    if (this.down) return;
    this.down = true;
    for (const w of this.waiting.values()) this.clock.clearTimeout(w.handle);
    this.waiting.clear();
    this.queue.length = 0;
    for (const g of this.getters.splice(0)) g(undefined);
  }

  isShutdown(): boolean {
    return this.down;
  }

  private push(key: K): void {
    const getter = this.getters.shift();
    if (getter) {
      this.dirty.delete(key);
      this.processing.add(key);
      getter(key);
    } else {
      this.queue.push(key);
    }
  }

  private take(): K {
    const key = this.queue.shift() as K;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
}
