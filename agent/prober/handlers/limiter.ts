// A counting semaphore: at most `max` holders, the rest wait in FIFO order. An aborted waiter
// leaves the queue.
export class Limiter {
  private active = 0;
  private readonly waiting: { go: () => void; signal?: AbortSignal; onAbort?: () => void }[] = [];

  constructor(readonly max: number) {}

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  queued(): number {
    return this.waiting.length;
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const w: (typeof this.waiting)[number] = { go: resolve, signal };
      w.onAbort = () => {
        const i = this.waiting.indexOf(w);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', w.onAbort, { once: true });
      this.waiting.push(w);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (!next) {
      this.active--;
      return;
    }
    next.signal?.removeEventListener('abort', next.onAbort!);
    next.go();
  }
}
