// Reading a RuntimePod the way the planner and the status generator both need: the instances of one
// container (newest first), their effective state, and whether the pod's sandbox is usable.
import type { KubeObject } from '../../api/types.js';
import type { ContainerKind, RuntimeContainer, RuntimePod } from '../runtime/runtime.js';

/** Milliseconds of an RFC3339 time; undefined for missing, invalid or Go zero times ("0001-..."). */
export function timeMs(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) && t > 0 ? t : undefined;
}

/** Every instance of a container, newest attempt first. */
export function instancesOf(rp: RuntimePod | undefined, name: string, kind: ContainerKind): RuntimeContainer[] {
  if (!rp) return [];
  return rp.containers
    .filter((c) => c.containerName === name && c.kind === kind)
    .sort((a, b) => b.restartCount - a.restartCount || (timeMs(b.createdAt) ?? 0) - (timeMs(a.createdAt) ?? 0));
}

export function latestInstance(rp: RuntimePod | undefined, name: string, kind: ContainerKind): RuntimeContainer | undefined {
  return instancesOf(rp, name, kind)[0];
}

export interface Observed {
  state: 'running' | 'exited' | 'waiting' | 'unknown';
  exitCode: number;
  finishedAt?: number;
  startedAt?: number;
}

/**
 * Effective state: a container Docker created but could not start (error set) counts as exited
 * (exit code 128 like dockershim), so it goes through restart policy and back-off instead of looping.
 */
export function observe(c: RuntimeContainer): Observed {
  const startedAt = timeMs(c.startedAt);
  if (c.state === 'running') return { state: 'running', exitCode: 0, startedAt };
  if (c.state === 'exited' || (c.state === 'created' && c.error)) {
    const exitCode = c.exitCode ?? (c.error ? 128 : 0);
    return { state: 'exited', exitCode, startedAt, finishedAt: timeMs(c.finishedAt) ?? timeMs(c.createdAt) ?? startedAt };
  }
  if (c.state === 'created') return { state: 'waiting', exitCode: 0 };
  return { state: 'unknown', exitCode: 0 };
}

export const isHostNetwork = (pod: KubeObject): boolean => pod.spec?.hostNetwork === true;

/** The newest sandbox when it is running and has an address (or uses the host network). */
export function readySandbox(pod: KubeObject, rp: RuntimePod | undefined): RuntimeContainer | undefined {
  const sb = rp?.sandboxes[0];
  if (!sb || sb.state !== 'running') return undefined;
  if (!isHostNetwork(pod) && !sb.ip) return undefined;
  return sb;
}

/** Containers (not sandboxes) that still run. */
export function runningContainers(rp: RuntimePod | undefined): RuntimeContainer[] {
  return rp ? rp.containers.filter((c) => c.state === 'running' || c.state === 'created' || c.state === 'unknown') : [];
}

/** Init containers with restartPolicy Always are sidecars: started, not completed, before the app. */
export const isSidecar = (c: any): boolean => c?.restartPolicy === 'Always';

/** "name_namespace(uid)", the way kubelet messages name a pod. */
export const podDesc = (pod: KubeObject): string => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

/** terminationGracePeriodSeconds of the spec (default 30). */
export function podGraceSeconds(pod: KubeObject): number {
  const g = pod.spec?.terminationGracePeriodSeconds;
  return typeof g === 'number' && g >= 0 ? g : 30;
}

/**
 * Grace for deleting the pod: the deletion grace the apiserver stamped (kubectl --grace-period,
 * force = 0) wins as in the kubelet, otherwise the spec's. Never negative.
 */
export function deletionGraceSeconds(pod: KubeObject): number {
  const d = pod.metadata.deletionGracePeriodSeconds;
  return typeof d === 'number' && d >= 0 ? d : podGraceSeconds(pod);
}

/**
 * The pod as it should be stopped once it vanished from the API without the agent finishing a
 * graceful termination (`--grace-period=0 --force`, or a graceful deletion forced while in
 * progress): the grace it had, capped at capSeconds. The held copy may carry the earlier graceful
 * deletion's 30 s; the force must still win.
 */
export function withForcedGrace(pod: KubeObject, capSeconds: number): KubeObject {
  const grace = Math.min(deletionGraceSeconds(pod), capSeconds);
  return { ...pod, metadata: { ...pod.metadata, deletionGracePeriodSeconds: grace } };
}
