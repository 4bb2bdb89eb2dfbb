// PodDisruptionBudget arithmetic shared by the eviction subresource and the disruption controller:
// which pods a budget covers, how many of them are healthy, how many must stay healthy, and so how
// many voluntary disruptions are allowed right now. Pure.
import { labelSelectorFromObject, matchesLabels } from '../../api/selectors.js';
import type { KubeObject } from '../../api/types.js';

export interface Budget {
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
}

/** A budget's selector: an empty one covers every pod of the namespace, a missing one none. */
export function budgetCovers(pdb: KubeObject, pod: KubeObject): boolean {
  const sel = pdb.spec?.selector;
  if (sel === undefined || sel === null) return false;
  return pod.metadata.namespace === pdb.metadata.namespace && matchesLabels(labelSelectorFromObject(sel), pod.metadata.labels ?? {});
}

export function isHealthy(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running') return false;
  return ((pod.status?.conditions ?? []) as { type: string; status: string }[]).some((c) => c.type === 'Ready' && c.status === 'True');
}

const terminal = (p: KubeObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

function scaled(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(v) || 0;
}

/**
 * The budget over the pods it covers. Expected pods are the covered pods that have not finished
 * (a pod being deleted still counts: its replacement is what the budget waits for).
 */
export function computeBudget(pdb: KubeObject, pods: KubeObject[]): Budget {
  const covered = pods.filter((p) => budgetCovers(pdb, p) && !terminal(p));
  const expectedPods = covered.length;
  const currentHealthy = covered.filter(isHealthy).length;
  const spec = pdb.spec ?? {};
  let desiredHealthy: number;
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) desiredHealthy = Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods));
  else desiredHealthy = scaled(spec.minAvailable ?? 1, expectedPods);
  return { expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy) };
}
