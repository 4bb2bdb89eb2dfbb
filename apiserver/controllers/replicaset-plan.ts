// The pure half of the ReplicaSet controller: from the ReplicaSet and the pods of its namespace,
// which pods to adopt and release, how many to create or which to delete, and the status.
import { labelSelectorFromObject, matchesLabels } from '../../api/selectors.js';
import type { KubeObject } from '../../api/types.js';
import { controllerOf, isActive, isPodAvailable, isPodReady } from './controller-ref.js';

/** At most this many pod creations or deletions per sync (Kubernetes' burstReplicas). */
export const BURST_REPLICAS = 500;

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  observedGeneration: number;
}

export interface ReplicaSetPlan {
  adopt: KubeObject[];
  release: KubeObject[];
  /** the active pods this ReplicaSet controls once adoption/release are done */
  owned: KubeObject[];
  /** pods to create (0 when none) */
  create: number;
  /** pods to delete, best candidates first */
  remove: KubeObject[];
  status: ReplicaSetStatus;
}

export function planReplicaSet(rs: KubeObject, pods: KubeObject[], now: Date, burst = BURST_REPLICAS): ReplicaSetPlan {
  // 1: claim — adopt matching orphans (not while we are being deleted), release non-matching pods.
  const sel = labelSelectorFromObject(rs.spec?.selector);
  const uid = rs.metadata.uid!;
  const deleting = !!rs.metadata.deletionTimestamp;
  const adopt: KubeObject[] = [];
  const release: KubeObject[] = [];
  const owned: KubeObject[] = [];
  for (const pod of pods) {
    if (!isActive(pod)) continue;
    const ref = controllerOf(pod);
    const matches = sel.length > 0 && matchesLabels(sel, pod.metadata.labels);
    if (ref?.uid === uid) {
      if (matches) owned.push(pod);
      else release.push(pod);
    } else if (!ref && matches && !deleting) {
      adopt.push(pod);
      owned.push(pod);
    }
  }
  // 2: the difference to spec.replicas, capped per sync.
  const want = rs.spec?.replicas ?? 1;
  const diff = owned.length - want;
  const create = deleting || diff >= 0 ? 0 : Math.min(-diff, burst);
  const remove = deleting || diff <= 0 ? [] : [...owned].sort(deleteFirst).slice(0, Math.min(diff, burst));
  return { adopt, release, owned, create, remove, status: replicaSetStatus(rs, owned, now) };
}

export function replicaSetStatus(rs: KubeObject, owned: KubeObject[], now: Date): ReplicaSetStatus {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const templateLabels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
  const fully = owned.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v));
  return {
    replicas: owned.length,
    fullyLabeledReplicas: fully.length,
    readyReplicas: owned.filter(isPodReady).length,
    availableReplicas: owned.filter((p) => isPodAvailable(p, minReady, now)).length,
    observedGeneration: rs.metadata.generation ?? 1,
  };
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function readySince(p: KubeObject): number {
  const c = (p.status?.conditions ?? []).find((x: { type: string }) => x.type === 'Ready');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
}

const restarts = (p: KubeObject): number => Math.max(0, ...(p.status?.containerStatuses ?? []).map((s: { restartCount?: number }) => s.restartCount ?? 0));
const created = (p: KubeObject): number => (p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : 0);

/**
 * controller.ActivePods ordering: the pod to delete first sorts first — unscheduled before
 * scheduled, Pending < Unknown < Running, not ready before ready, ready more recently before
 * ready longer, more restarts first, newer before older.
 */
export function deleteFirst(a: KubeObject, b: KubeObject): number {
  const an = a.spec?.nodeName ? 1 : 0;
  const bn = b.spec?.nodeName ? 1 : 0;
  if (an !== bn) return an - bn;
  const ap = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0;
  const bp = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0;
  if (ap !== bp) return ap - bp;
  const ar = isPodReady(a) ? 1 : 0;
  const br = isPodReady(b) ? 1 : 0;
  if (ar !== br) return ar - br;
  if (ar && readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  if (created(a) !== created(b)) return created(b) - created(a);
  return 0;
}

/** The pod a ReplicaSet creates: its template, a generated name and our controller reference. */
export function podFromTemplate(rs: KubeObject): KubeObject {
  const t = rs.spec?.template ?? {};
  const meta = t.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(t.spec ?? {}),
  };
}

/** Kubernetes' slow start: batches of 1, 2, 4, ... so a failing template costs one error, not N. */
export function slowStartBatches(total: number, initial = 1): number[] {
  const out: number[] = [];
  let left = total;
  for (let size = Math.min(initial, left); left > 0; size = Math.min(2 * size, left)) {
    out.push(size);
    left -= size;
  }
  return out;
}

export function statusChanged(cur: Partial<ReplicaSetStatus> | undefined, next: ReplicaSetStatus): boolean {
  const c = cur ?? {};
  return (Object.keys(next) as (keyof ReplicaSetStatus)[]).some((k) => (c[k] ?? 0) !== next[k]);
}
