// Runs tasks one at a time per key and concurrently across keys: a pod's status reports keep their
// order while different pods (and events) no longer wait behind each other. Failures go to onError
// and never break the chain.
export class KeyedChain {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly onError: (err: unknown, key: string) => void) {}

  run(key: string, task: () => Promise<void>): void {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(task).catch((err) => this.onError(err, key));
    this.tails.set(key, next);
    // forget a drained key so the map holds only keys with work in flight
    void next.then(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
  }

  /** Resolves when everything queued so far (and queued meanwhile) has run. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  /** keys with work in flight */
  get size(): number {
    return this.tails.size;
  }
}
