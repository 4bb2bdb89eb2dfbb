// Batched runtime listing for the pod workers: a burst of 50 workers asking "what runs for my pod?"
// shares listPods calls instead of issuing 50. A caller never gets a listing that started before
// its request (it might miss what the caller itself just created): requests arriving while a list
// is in flight wait for the next one, which serves all of them together.
import type { Runtime, RuntimePod } from '../runtime/runtime.js';

export class RuntimePodLister {
  private inFlight?: Promise<RuntimePod[]>;
  private next?: Promise<RuntimePod[]>;

  constructor(private readonly runtime: Pick<Runtime, 'listPods'>) {}

  /** every pod, from a listing started at or after this call */
  list(): Promise<RuntimePod[]> {
    if (!this.inFlight) return this.start();
    // one queued follow-up list serves every caller that came during the current one
    this.next ??= this.inFlight.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.next;
  }

  async pod(uid: string): Promise<RuntimePod | undefined> {
    return (await this.list()).find((p) => p.uid === uid);
  }

  private startQueued(): Promise<RuntimePod[]> {
    this.next = undefined;
    return this.start();
  }

  private start(): Promise<RuntimePod[]> {
    const p = this.runtime.listPods();
    this.inFlight = p;
    const clear = (): void => {
      if (this.inFlight === p) this.inFlight = undefined;
    };
    p.then(clear, clear);
    return p;
  }
}
