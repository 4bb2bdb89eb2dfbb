// kube-scheduler's unschedulablePods: pods whose last attempt found no fitting node wait here
// instead of being retried on a timer. A relevant cluster event (node added or changed, an assigned
// pod gone) moves them all back to the active queue; anything parked longer than
// podMaxInUnschedulablePodsDuration goes back on its own. Insertion order = parking order, so the
// leftover scan stops at the first young entry.

export class UnschedulablePods {
  private readonly parked = new Map<string, number>();

  park(key: string, nowMs: number): void {
    this.parked.delete(key); // re-insert at the end to keep parking order
    this.parked.set(key, nowMs);
  }

  delete(key: string): boolean {
    return this.parked.delete(key);
  }

  has(key: string): boolean {
    return this.parked.has(key);
  }

  get size(): number {
    return this.parked.size;
  }

  /** Keys of every parked pod, in parking order (they stay parked until delete()). */
  keys(): string[] {
    return [...this.parked.keys()];
  }

  /** Keys parked at or before cutoffMs, oldest first. */
  parkedSince(cutoffMs: number): string[] {
    const out: string[] = [];
    for (const [k, at] of this.parked) {
      if (at > cutoffMs) break;
      out.push(k);
    }
    return out;
  }
}
