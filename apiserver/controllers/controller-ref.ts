// Ownership and pod-state helpers shared by the workload controllers: who controls an object
// (the one ownerReference with controller=true), the references controllers write, and the
// readiness/availability rules Kubernetes uses (podutil.IsPodReady / IsPodAvailable).
import type { KubeObject, OwnerReference } from '../../api/types.js';

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

export function controllerRefTo(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** ownerReferences with a controller ref to owner added (adoption), others kept. */
export function withControllerRef(obj: KubeObject, ref: OwnerReference): OwnerReference[] {
  return [...(obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid), ref];
}

/** ownerReferences without any reference to uid (release / orphaning). */
export function withoutOwner(obj: KubeObject, uid: string): OwnerReference[] {
  return (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
}

export const isTerminal = (pod: KubeObject): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** Counted by ReplicaSets: not finished and not being deleted (controller.FilterActivePods). */
export const isActive = (pod: KubeObject): boolean => !isTerminal(pod) && !pod.metadata.deletionTimestamp;

function readyCondition(pod: KubeObject): { status?: string; lastTransitionTime?: string } | undefined {
  return (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
}

export const isPodReady = (pod: KubeObject): boolean => readyCondition(pod)?.status === 'True';

/** Ready for at least minReadySeconds (measured from the Ready condition's transition). */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: Date): boolean {
  const c = readyCondition(pod);
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now.getTime();
}

/** ms until a ready-but-not-yet-available pod becomes available; undefined when none is waiting. */
export function nextAvailableInMs(pods: KubeObject[], minReadySeconds: number, now: Date): number | undefined {
  if (!minReadySeconds) return undefined;
  let best: number | undefined;
  for (const p of pods) {
    const c = readyCondition(p);
    if (c?.status !== 'True' || !c.lastTransitionTime) continue;
    const left = Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 - now.getTime();
    if (left > 0 && (best === undefined || left < best)) best = left;
  }
  return best;
}

export const nsKey = (obj: KubeObject): string => `${obj.metadata.namespace}/${obj.metadata.name}`;

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
