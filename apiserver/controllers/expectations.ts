// ControllerExpectations (client-go's controller_utils): a controller that just asked for N pod
// creations or deletions must not act again on the same key until it has SEEN those N changes in its
// watch, or its cache would still show the old count and it would overshoot. Expectations expire
// (5 minutes, as Kubernetes) so a lost event cannot wedge a key forever.
import { realClock, type Clock } from '../../lib/clock.js';

export const EXPECTATIONS_TTL_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  /** uids whose deletion we wait for: a pod's DELETED event counts once even if seen twice */
  deleting: Set<string>;
  at: number;
}

export class Expectations {
  private readonly byKey = new Map<string, Expectation>();
  constructor(private readonly clock: Clock = realClock, private readonly ttlMs = EXPECTATIONS_TTL_MS) {}

  /** true when nothing is outstanding (or what is outstanding expired) */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.at > this.ttlMs;
  }

  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { add: n, del: 0, deleting: new Set(), at: this.clock.now() });
  }

  expectDeletions(key: string, uids: string[]): void {
    this.byKey.set(key, { add: 0, del: uids.length, deleting: new Set(uids), at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e && e.add > 0) e.add--;
  }

  deletionObserved(key: string, uid: string): void {
    const e = this.byKey.get(key);
    if (e && e.deleting.delete(uid)) e.del--;
  }

  /** a creation that failed or was skipped will never be observed */
  lowerCreations(key: string, n: number): void {
    const e = this.byKey.get(key);
    if (e) e.add = Math.max(0, e.add - n);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }
}
