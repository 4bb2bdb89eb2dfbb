// Group commit for the SQLite store. With synchronous=FULL every commit fsyncs the WAL on the
// event loop (~0.2 ms each, far more on slow disks), and the server can do nothing else meanwhile.
// Instead commits run with synchronous=NORMAL (WAL appended, no fsync; checkpoints still sync) and
// a write is acknowledged only after an fdatasync of the WAL that started after its commit. One
// fdatasync, on the libuv threadpool, covers every commit made while the previous one ran — so an
// acknowledged write still survives power loss, as etcd's batched fsync guarantees.
import { closeSync, fdatasync, openSync } from 'node:fs';

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class WalSyncer {
  private fd: number | undefined;
  private running = false;
  private closed = false;
  private waiting: Waiter[] = [];
  /** how many fdatasync calls were made (diagnostics, tests) */
  syncs = 0;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything committed before this call is on stable storage. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) this.flush();
    });
  }

  /** Waits for the flush in progress (and any queued one), then releases the file. */
  async close(): Promise<void> {
    if (this.running || this.waiting.length > 0) await this.sync().catch(() => undefined);
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    const fail = (err: Error): void => {
      for (const w of batch) w.reject(err);
    };
    if (this.closed) return fail(new Error('store is closed'));
    try {
      // read-only is enough: fdatasync flushes the file's data whichever descriptor names it
      this.fd ??= openSync(this.walPath, 'r');
    } catch (err) {
      return fail(err as Error);
    }
    this.running = true;
    this.syncs++;
    fdatasync(this.fd, (err) => {
      this.running = false;
      if (err) fail(err);
      else for (const w of batch) w.resolve();
      if (this.waiting.length > 0) this.flush();
    });
  }
}
