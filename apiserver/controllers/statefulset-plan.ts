// The StatefulSet controller's pure core, after stateful_set_control.go: stable pods name-0..n-1,
// OrderedReady (one at a time, each Running and Ready before the next; scale down from the highest
// ordinal) or Parallel, RollingUpdate from the highest ordinal down to the partition, OnDelete.
import type { KubeObject } from '../../api/types.js';
import { isDeleting, isPodAvailable, isPodReady, isTerminalPod } from './owned-pods.js';

export const STS_REVISION_LABEL = 'controller-revision-hash';
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export interface StatefulSetPlan {
  /** ordinals to create, each from the current or the update revision's template */
  create: { ordinal: number; revision: string }[];
  /** pod names to delete */
  delete: string[];
  status: Record<string, any>;
}

export function ordinalOf(sts: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${sts.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

const healthy = (p: KubeObject): boolean => isPodReady(p) && !isDeleting(p);

/**
 * revisions: updateRevision is the current template's; currentRevision what the set ran before the
 * rollout began (equal when nothing rolls).
 */
export function planStatefulSet(sts: KubeObject, pods: KubeObject[], rev: { current: string; update: string }, nowMs: number): StatefulSetPlan {
  const spec = sts.spec ?? {};
  const replicas: number = spec.replicas ?? 1;
  const start: number = spec.ordinals?.start ?? 0;
  const parallel = spec.podManagementPolicy === 'Parallel';
  const strategy = spec.updateStrategy?.type ?? 'RollingUpdate';
  const partition: number = strategy === 'RollingUpdate' ? (spec.updateStrategy?.rollingUpdate?.partition ?? 0) : 0;
  const plan: StatefulSetPlan = { create: [], delete: [], status: {} };

  // 1. Sort pods into the replica slots [start, start+replicas) and the condemned rest.
  const slots = new Map<number, KubeObject>();
  const condemned: KubeObject[] = [];
  for (const p of pods) {
    const o = ordinalOf(sts, p);
    if (o === undefined) continue;
    if (o >= start && o < start + replicas) slots.set(o, p);
    else condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(sts, b)! - ordinalOf(sts, a)!);
  const revOf = (p: KubeObject) => p.metadata.labels?.[STS_REVISION_LABEL];
  // pods below the partition stay on (or come back at) the current revision
  const revisionFor = (o: number) => (strategy === 'RollingUpdate' && o - start < partition ? rev.current : rev.update);

  // 2. Replica slots in order: failed pods go, missing pods come (OrderedReady waits on each).
  let blocked = false;
  for (let o = start; o < start + replicas; o++) {
    const p = slots.get(o);
    if (p && isTerminalPod(p) && !isDeleting(p)) {
      plan.delete.push(p.metadata.name!);
      if (!parallel) blocked = true;
      continue;
    }
    if (!p) {
      if (!blocked) plan.create.push({ ordinal: o, revision: strategy === 'OnDelete' ? rev.update : revisionFor(o) });
      if (!parallel) blocked = true;
      continue;
    }
    if (!parallel && !healthy(p)) blocked = true;
  }

  // 3. Scale down: highest ordinal first; OrderedReady only while every other pod is healthy, one at a time.
  if (parallel) plan.delete.push(...condemned.filter((p) => !isDeleting(p)).map((p) => p.metadata.name!));
  else if (!blocked && condemned.length) {
    if (!condemned.some(isDeleting)) plan.delete.push(condemned[0].metadata.name!);
    blocked = true;
  }

  // 4. RollingUpdate: from the highest ordinal down to the partition, one pod at a time, and only
  //    while every replica is up and Ready.
  const allHealthy = [...slots.values()].length === replicas && [...slots.values()].every(healthy);
  if (strategy === 'RollingUpdate' && allHealthy && plan.create.length === 0 && plan.delete.length === 0) {
    for (let o = start + replicas - 1; o >= start + partition; o--) {
      const p = slots.get(o)!;
      if (revOf(p) !== rev.update) {
        plan.delete.push(p.metadata.name!);
        break;
      }
    }
  }

  // 5. Status.
  const live = pods.filter((p) => ordinalOf(sts, p) !== undefined);
  const inSlots = [...slots.values()];
  const updated = live.filter((p) => revOf(p) === rev.update).length;
  const allUpdated = inSlots.length === replicas && inSlots.every((p) => revOf(p) === rev.update) && condemned.length === 0;
  const currentRevision = allUpdated ? rev.update : rev.current;
  plan.status = {
    observedGeneration: sts.metadata.generation,
    replicas: live.length,
    readyReplicas: live.filter(isPodReady).length,
    currentReplicas: live.filter((p) => revOf(p) === currentRevision).length,
    updatedReplicas: updated,
    availableReplicas: live.filter((p) => isPodAvailable(p, spec.minReadySeconds ?? 0, nowMs)).length,
    currentRevision,
    updateRevision: rev.update,
    collisionCount: sts.status?.collisionCount ?? 0,
  };
  return plan;
}

/**
 * Claims of ordinals scaled away whose pod is gone, when whenScaled is Delete (Retain keeps them for
 * a later scale up). Pure: claim names to delete.
 */
export function claimsToRelease(sts: KubeObject, pods: KubeObject[], claimNames: string[]): string[] {
  if (sts.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete') return [];
  const start: number = sts.spec?.ordinals?.start ?? 0;
  const end = start + (sts.spec?.replicas ?? 1);
  const alive = new Set(pods.map((p) => ordinalOf(sts, p)));
  const out: string[] = [];
  for (const t of (sts.spec?.volumeClaimTemplates ?? []) as KubeObject[]) {
    const prefix = `${t.metadata?.name}-${sts.metadata.name}-`;
    for (const c of claimNames.filter((n) => n.startsWith(prefix))) {
      const rest = c.slice(prefix.length);
      if (!/^(0|[1-9]\d*)$/.test(rest)) continue;
      const o = Number(rest);
      if ((o < start || o >= end) && !alive.has(o)) out.push(c);
    }
  }
  return out;
}

/** The PersistentVolumeClaims an ordinal needs: <template>-<sts>-<ordinal>. */
export function claimsFor(sts: KubeObject, ordinal: number): KubeObject[] {
  const whenDeleted = sts.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted;
  return ((sts.spec?.volumeClaimTemplates ?? []) as KubeObject[]).map((t) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: `${t.metadata?.name}-${sts.metadata.name}-${ordinal}`,
      namespace: sts.metadata.namespace,
      labels: { ...(sts.spec?.selector?.matchLabels ?? {}), ...(t.metadata?.labels ?? {}) },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ...(whenDeleted === 'Delete'
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name!, uid: sts.metadata.uid!, controller: true, blockOwnerDeletion: true }] }
        : {}),
    },
    spec: structuredClone(t.spec ?? {}),
  }));
}
