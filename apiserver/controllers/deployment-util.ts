// Pure helpers of the Deployment controller, after k8s.io/kubernetes/pkg/controller/deployment/util:
// surge/unavailable fenceposts, revisions, the new and old ReplicaSets, the annotations a
// Deployment stamps on its ReplicaSets, and the ReplicaSet a new template gets.
import type { KubeObject } from '../../api/types.js';
import { controllerRefTo } from './controller-ref.js';
import { computeHash, equalIgnoreHash, POD_TEMPLATE_HASH } from './pod-template-hash.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** annotations that are the controller's own and never copied between Deployment and ReplicaSet */
const SKIPPED = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, 'deprecated.deployment.rollback.to']);

export const replicasOf = (o: KubeObject | undefined): number => (o ? (o.spec?.replicas ?? 1) : 0);
export const isRolling = (d: KubeObject): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** intstr.GetScaledValueFromIntOrPercent */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    if (m) {
      const x = (Number(m[1]) * total) / 100;
      return roundUp ? Math.ceil(x) : Math.floor(x);
    }
    if (/^\d+$/.test(v)) return Number(v);
  }
  return 0;
}

/** ResolveFenceposts: surge rounds up, unavailable down; both zero would deadlock, so unavailable becomes 1. */
export function fenceposts(d: KubeObject): { maxSurge: number; maxUnavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const desired = replicasOf(d);
  const maxSurge = scaledValue(ru.maxSurge ?? '25%', desired, true);
  let maxUnavailable = scaledValue(ru.maxUnavailable ?? '25%', desired, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export function maxUnavailable(d: KubeObject): number {
  if (!isRolling(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d).maxUnavailable, replicasOf(d));
}

export const maxSurge = (d: KubeObject): number => (isRolling(d) ? fenceposts(d).maxSurge : 0);

export function revisionOf(o: KubeObject): number {
  const v = Number(o.metadata.annotations?.[REVISION] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

export const maxRevision = (rss: KubeObject[]): number => rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

const created = (o: KubeObject): number => Date.parse(o.metadata.creationTimestamp ?? '') || 0;
export const oldestFirst = (a: KubeObject, b: KubeObject): number => created(a) - created(b) || (a.metadata.name! < b.metadata.name! ? -1 : 1);

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's (hash aside). */
export function findNewReplicaSet(d: KubeObject, rss: KubeObject[]): KubeObject | undefined {
  return [...rss].sort(oldestFirst).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

export function splitReplicaSets(d: KubeObject, rss: KubeObject[]): { newRS?: KubeObject; oldRSs: KubeObject[] } {
  const newRS = findNewReplicaSet(d, rss);
  return { newRS, oldRSs: rss.filter((rs) => rs !== newRS) };
}

export const sumSpec = (rss: KubeObject[]): number => rss.reduce((n, rs) => n + replicasOf(rs), 0);
export const sumStatus = (rss: KubeObject[], f: 'replicas' | 'readyReplicas' | 'availableReplicas'): number => rss.reduce((n, rs) => n + (rs.status?.[f] ?? 0), 0);

/**
 * Available pods of a ReplicaSet as a rollout may count them: never more than its spec, because
 * pods above spec are about to be deleted and a status written before that would be counted twice.
 */
export const availableOf = (rs: KubeObject): number => Math.min(rs.status?.availableReplicas ?? 0, replicasOf(rs));
export const sumAvailable = (rss: KubeObject[]): number => rss.reduce((n, rs) => n + availableOf(rs), 0);

/** Annotations a Deployment puts on a ReplicaSet it scales (SetReplicasAnnotations). */
export function replicasAnnotations(d: KubeObject): Record<string, string> {
  return { [DESIRED_REPLICAS]: String(replicasOf(d)), [MAX_REPLICAS]: String(replicasOf(d) + maxSurge(d)) };
}

/** Deployment annotations copied to its ReplicaSets (kubernetes.io/change-cause among them). */
export function copiedAnnotations(d: KubeObject): Record<string, string> {
  return Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !SKIPPED.has(k)));
}

/** ReplicaSet annotations `rollout undo` may copy back; exported for tests. */
export const isSkippedAnnotation = (k: string): boolean => SKIPPED.has(k);

/** The new ReplicaSet for the Deployment's template: name <deploy>-<hash>, hash in labels and selector. */
export function newReplicaSetFor(d: KubeObject, revision: number, replicas: number): KubeObject {
  const hash = computeHash(d.spec?.template, d.status?.collisionCount);
  const template = structuredClone(d.spec?.template ?? {});
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...template.metadata.labels },
      annotations: { ...copiedAnnotations(d), ...replicasAnnotations(d), [REVISION]: String(revision) },
      ownerReferences: [controllerRefTo(d, 'apps/v1', 'Deployment')],
    },
    spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
}

/**
 * SetNewReplicaSetAnnotations for an existing new ReplicaSet: copied Deployment annotations and a
 * revision raised to newRevision (the old one kept in revision-history). undefined when unchanged.
 */
export function newReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number): Record<string, string> | undefined {
  const cur = rs.metadata.annotations ?? {};
  const next: Record<string, string> = { ...cur, ...copiedAnnotations(d) };
  const old = revisionOf(rs);
  if (old < newRevision) {
    next[REVISION] = String(newRevision);
    if (old > 0) next[REVISION_HISTORY] = cur[REVISION_HISTORY] ? `${cur[REVISION_HISTORY]},${old}` : String(old);
  }
  if (next[DESIRED_REPLICAS] === undefined) Object.assign(next, replicasAnnotations(d));
  const same = Object.keys(next).length === Object.keys(cur).length && Object.entries(next).every(([k, v]) => cur[k] === v);
  return same ? undefined : next;
}
