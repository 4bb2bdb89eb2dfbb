// One probe type's results, per (pod uid, container name), stamped with the container id they
// belong to. set() reports whether the published result changed; only changes are emitted, so the
// pod worker is nudged once per flip, not once per probe.
import type { ProbeResult } from '../podworker/pod-actions-types.js';

interface Entry {
  containerId: string;
  result: ProbeResult;
}

export class ResultsCache {
  private readonly pods = new Map<string, Map<string, Entry>>();

  constructor(private readonly onChange: (podUid: string, container: string, result: ProbeResult) => void = () => undefined) {}

  /** Returns true (and emits) when the result for this container instance changed. */
  set(podUid: string, container: string, containerId: string, result: ProbeResult): boolean {
    let m = this.pods.get(podUid);
    if (!m) this.pods.set(podUid, (m = new Map()));
    const prev = m.get(container);
    if (prev && prev.containerId === containerId && prev.result === result) return false;
    m.set(container, { containerId, result });
    this.onChange(podUid, container, result);
    return true;
  }

  /** Record without emitting (a new instance's initial value). */
  setQuiet(podUid: string, container: string, containerId: string, result: ProbeResult): void {
    let m = this.pods.get(podUid);
    if (!m) this.pods.set(podUid, (m = new Map()));
    m.set(container, { containerId, result });
  }

  get(podUid: string, container: string): { containerId: string; result: ProbeResult } | undefined {
    return this.pods.get(podUid)?.get(container);
  }

  remove(podUid: string, container: string): void {
    const m = this.pods.get(podUid);
    if (!m) return;
    m.delete(container);
    if (m.size === 0) this.pods.delete(podUid);
  }

  removePod(podUid: string): void {
    this.pods.delete(podUid);
  }

  /** containerName → result, for the planner and the status generator */
  byPod(podUid: string): ReadonlyMap<string, ProbeResult> {
    const m = this.pods.get(podUid);
    return new Map([...(m ?? [])].map(([k, e]) => [k, e.result]));
  }

  size(): number {
    let n = 0;
    for (const m of this.pods.values()) n += m.size;
    return n;
  }
}
