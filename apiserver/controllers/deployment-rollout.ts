// The scaling decisions of a Deployment, pure (rolling.go, recreate.go, sync.go of Kubernetes'
// deployment controller). Each planner returns the ReplicaSets to resize, by name, to new sizes;
// an empty result means "nothing to scale in this step".
import type { KubeObject } from '../../api/types.js';
import {
  availableOf,
  fenceposts,
  isRolling,
  maxSurge,
  maxUnavailable,
  MAX_REPLICAS,
  DESIRED_REPLICAS,
  oldestFirst,
  replicasOf,
  revisionOf,
  sumAvailable,
  sumSpec,
} from './deployment-util.js';

export type Scales = Map<string, number>;

/** NewRSNewReplicas: how big the new ReplicaSet may be now. */
export function newReplicaSetReplicas(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject | undefined): number {
  if (!isRolling(d)) return replicasOf(d);
  const cur = replicasOf(newRS);
  if (cur >= replicasOf(d)) return replicasOf(d);
  const maxTotal = replicasOf(d) + fenceposts(d).maxSurge;
  const total = sumSpec(allRSs);
  if (total >= maxTotal) return cur;
  return cur + Math.min(maxTotal - total, replicasOf(d) - cur);
}

/** One step of a rolling update: scale the new ReplicaSet up, else old ones down. */
export function planRolling(d: KubeObject, newRS: KubeObject, oldRSs: KubeObject[]): Scales {
  const all = [newRS, ...oldRSs];
  // 1: reconcileNewReplicaSet
  const want = replicasOf(newRS) > replicasOf(d) ? replicasOf(d) : newReplicaSetReplicas(d, all, newRS);
  if (want !== replicasOf(newRS)) return new Map([[newRS.metadata.name!, want]]);
  // 2: reconcileOldReplicaSets
  const out: Scales = new Map();
  if (sumSpec(oldRSs) === 0) return out;
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = replicasOf(newRS) - availableOf(newRS);
  const maxScaledDown = sumSpec(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return out;
  // 2a: unhealthy old pods go first, they cost no availability
  const olds = [...oldRSs].sort(oldestFirst);
  const size = (rs: KubeObject) => out.get(rs.metadata.name!) ?? replicasOf(rs);
  let cleaned = 0;
  for (const rs of olds) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = replicasOf(rs) - availableOf(rs);
    if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
    const n = Math.min(maxScaledDown - cleaned, unhealthy);
    out.set(rs.metadata.name!, replicasOf(rs) - n);
    cleaned += n;
  }
  // 2b: then available ones, down to minAvailable
  const available = sumAvailable(all);
  if (available <= minAvailable) return out;
  const total = available - minAvailable;
  let scaled = 0;
  for (const rs of olds) {
    if (scaled >= total) break;
    if (size(rs) === 0) continue;
    const n = Math.min(size(rs), total - scaled);
    out.set(rs.metadata.name!, size(rs) - n);
    scaled += n;
  }
  return out;
}

/** Recreate: every old ReplicaSet to zero first; the new one to full size once no old pod runs. */
export function planRecreate(d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[], oldPodsRunning: boolean): { scales: Scales; createNew: boolean } {
  const scales: Scales = new Map();
  for (const rs of oldRSs) if (replicasOf(rs) > 0) scales.set(rs.metadata.name!, 0);
  if (scales.size > 0 || oldPodsRunning) return { scales, createNew: false };
  if (!newRS) return { scales, createNew: true };
  if (replicasOf(newRS) !== replicasOf(d)) scales.set(newRS.metadata.name!, replicasOf(d));
  return { scales, createNew: false };
}

/** isScalingEvent: an active ReplicaSet was sized for a different spec.replicas. */
export function isScalingEvent(d: KubeObject, rss: KubeObject[]): boolean {
  return rss.some((rs) => {
    const v = rs.metadata.annotations?.[DESIRED_REPLICAS];
    return replicasOf(rs) > 0 && v !== undefined && Number(v) !== replicasOf(d);
  });
}

/** scale(): resize for a changed spec.replicas, proportionally across active ReplicaSets mid-rollout. */
export function planProportionalScale(d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[]): Scales {
  const out: Scales = new Map();
  const all = [...(newRS ? [newRS] : []), ...oldRSs];
  const active = all.filter((rs) => replicasOf(rs) > 0);
  // 1: one active (or none: the newest) takes everything
  let only: KubeObject | undefined;
  if (active.length === 1) only = active[0];
  else if (active.length === 0) only = newRS ?? [...oldRSs].sort((a, b) => revisionOf(b) - revisionOf(a))[0];
  if (only || active.length <= 1) {
    if (only && replicasOf(only) !== replicasOf(d)) out.set(only.metadata.name!, replicasOf(d));
    return out;
  }
  // 2: a saturated new ReplicaSet means the old ones simply go
  if (newRS && replicasOf(newRS) === replicasOf(d) && availableOf(newRS) === replicasOf(d)) {
    for (const rs of oldRSs) if (replicasOf(rs) > 0) out.set(rs.metadata.name!, 0);
    return out;
  }
  if (!isRolling(d)) return out;
  // 3: spread the difference by each ReplicaSet's share of the size it was made for
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - sumSpec(active);
  if (toAdd === 0) return out;
  const sorted = [...active].sort((a, b) => replicasOf(b) - replicasOf(a) || (toAdd > 0 ? -oldestFirst(a, b) : oldestFirst(a, b)));
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of sorted) {
    let part = 0;
    if (replicasOf(rs) > 0 && toAdd !== added) {
      const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? d.status?.replicas ?? 0);
      const fraction = replicasOf(d) === 0 || !annotated ? -replicasOf(rs) : Math.ceil((replicasOf(rs) * allowed) / annotated) - replicasOf(rs);
      part = toAdd > 0 ? Math.min(fraction, toAdd - added) : Math.max(fraction, toAdd - added);
    }
    sizes.set(rs.metadata.name!, replicasOf(rs) + part);
    added += part;
  }
  const first = sorted[0].metadata.name!;
  sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added));
  for (const rs of sorted) if (sizes.get(rs.metadata.name!) !== replicasOf(rs)) out.set(rs.metadata.name!, sizes.get(rs.metadata.name!)!);
  return out;
}

/** cleanupDeployment: the oldest empty old ReplicaSets beyond revisionHistoryLimit. */
export function historyToDelete(d: KubeObject, oldRSs: KubeObject[]): KubeObject[] {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return [];
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return [];
  const byRevision = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || oldestFirst(a, b));
  return byRevision
    .slice(0, diff)
    .filter((rs) => (rs.status?.replicas ?? 0) === 0 && replicasOf(rs) === 0 && (rs.metadata.generation ?? 1) <= (rs.status?.observedGeneration ?? 0));
}
