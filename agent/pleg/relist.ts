// Pure half of the PLEG relist: which pods changed between two listings of the runtime. A pod
// changed when one of its containers appeared, vanished, or changed state (or exit code).
import type { RuntimePod } from '../runtime/runtime.js';

/** container id → "podUid|state|exitCode" */
export type RelistSnapshot = Map<string, string>;

export function snapshotOf(pods: RuntimePod[]): RelistSnapshot {
  const snap: RelistSnapshot = new Map();
  for (const p of pods) {
    for (const c of [...p.sandboxes, ...p.containers]) snap.set(c.id, `${p.uid}|${c.state}|${c.exitCode ?? ''}`);
  }
  return snap;
}

const uidOf = (entry: string): string => entry.slice(0, entry.indexOf('|'));

/** uids of pods whose containers differ between prev and next */
export function changedPods(prev: RelistSnapshot, next: RelistSnapshot): Set<string> {
  const out = new Set<string>();
  for (const [id, v] of next) if (prev.get(id) !== v) out.add(uidOf(v));
  for (const [id, v] of prev) if (!next.has(id)) out.add(uidOf(v));
  return out;
}
