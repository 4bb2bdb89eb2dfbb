// Graceful termination of a pod on this node: stop its containers with the grace period (app
// containers, then init containers, sidecars last), then the sandbox, then the volumes, and tell the
// status sink the pod is gone from this node.
import type { KubeObject } from '../../api/types.js';
import type { RuntimeContainer, RuntimePod } from '../runtime/runtime.js';
import type { StatusSink } from './deps.js';
import { isSidecar } from './instances.js';
import { errorMessage, fieldPath, type SyncDeps } from './sync-types.js';

/** kubelet's floor for the grace left after a preStop hook */
const MIN_GRACE_AFTER_HOOK_SEC = 2;

const isLive = (c: RuntimeContainer): boolean => c.state === 'running' || c.state === 'created' || c.state === 'unknown';

async function stopOne(pod: KubeObject, c: RuntimeContainer, graceSeconds: number, deps: SyncDeps, signal?: AbortSignal, podIp?: string): Promise<void> {
  const kind = c.kind === 'init' ? 'init' : 'app';
  deps.events.event(pod, 'Normal', 'Killing', `Stopping container ${c.containerName}`, fieldPath(kind, c.containerName));
  await stopWithPreStop(pod, kind, c.containerName, c.id, c.state === 'running', graceSeconds, deps, signal, podIp);
}

/**
 * Stop one container: its preStop hook first (when it runs), inside the grace; what is left of the
 * grace goes to the stop signal (at least MIN_GRACE_AFTER_HOOK_SEC, as the kubelet). Also used for
 * single-container kills (failed liveness probe, changed spec).
 */
export async function stopWithPreStop(pod: KubeObject, kind: 'init' | 'app', name: string, id: string, running: boolean, graceSeconds: number, deps: SyncDeps, signal?: AbortSignal, podIp?: string): Promise<void> {
  const list: any[] = (kind === 'init' ? pod.spec?.initContainers : pod.spec?.containers) ?? [];
  const spec = list.find((x) => x?.name === name);
  let grace = graceSeconds;
  if (deps.hooks?.preStop && spec?.lifecycle?.preStop && running && grace > 0) {
    const t0 = deps.now();
    try {
      await deps.hooks.preStop(pod, spec, id, grace, signal, podIp);
    } catch (e) {
      if (signal?.aborted) throw e;
      deps.events.event(pod, 'Warning', 'FailedPreStopHook', errorMessage(e), fieldPath(kind, name));
    }
    grace = Math.max(MIN_GRACE_AFTER_HOOK_SEC, grace - Math.ceil((deps.now() - t0) / 1000));
  }
  await deps.runtime.stopContainer(id, grace, signal);
}

/**
 * Stop every live container of the pod and its sandboxes. Groups stop in parallel (as the kubelet
 * does) but in order: app containers, regular init containers, sidecars (so they outlive the app),
 * then the sandbox. Throws when something could not be stopped, so the caller retries.
 */
export async function killPodContainers(pod: KubeObject, rp: RuntimePod | undefined, graceSeconds: number, deps: SyncDeps, signal?: AbortSignal): Promise<void> {
  if (!rp) return;
  const inits: any[] = pod.spec?.initContainers ?? [];
  const sidecar = (c: RuntimeContainer): boolean => c.kind === 'init' && isSidecar(inits.find((x) => x?.name === c.containerName));
  const live = rp.containers.filter(isLive);
  const groups = [
    live.filter((c) => c.kind === 'app'),
    live.filter((c) => c.kind === 'init' && !sidecar(c)),
    live.filter((c) => sidecar(c)),
  ];
  const errors: string[] = [];
  for (const g of groups) {
    const res = await Promise.allSettled(g.map((c) => stopOne(pod, c, graceSeconds, deps, signal, rp.sandboxes[0]?.ip ?? (pod.spec?.hostNetwork ? deps.node.nodeIp : undefined))));
    for (const r of res) if (r.status === 'rejected') errors.push(errorMessage(r.reason));
  }
  if (signal?.aborted) throw signal.reason;
  for (const sb of rp.sandboxes.filter(isLive)) {
    try {
      await deps.runtime.stopContainer(sb.id, 0, signal);
    } catch (e) {
      errors.push(errorMessage(e));
    }
  }
  if (errors.length) {
    deps.events.event(pod, 'Warning', 'FailedKillPod', `error killing pod: ${errors.join('; ')}`);
    throw new Error(`failed to kill pod: ${errors.join('; ')}`);
  }
}

/** A pod object for a runtime pod the agent has no desired state for (orphan after a restart). */
export function podFromRuntime(rp: RuntimePod): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { uid: rp.uid, name: rp.name, namespace: rp.namespace }, spec: { containers: [] } };
}

/**
 * Full termination. Steps: (1) containers with grace, (2) sandbox, (3) volumes, (4) forget
 * back-off state, (5) podTerminated. Throws (before step 5) when the pod is not fully stopped.
 */
export async function terminatePod(
  pod: KubeObject,
  rp: RuntimePod | undefined,
  graceSeconds: number,
  deps: SyncDeps,
  status: StatusSink | undefined,
  signal?: AbortSignal,
  /** runs once everything is stopped, before podTerminated (the worker posts the final status) */
  onStopped?: () => Promise<void>,
): Promise<void> {
  const uid = pod.metadata.uid!;
  // 1–2. containers, then the sandbox
  await killPodContainers(pod, rp, graceSeconds, deps, signal);
  // 3. volumes (tmpfs unmounted, directories removed)
  await deps.volumes.teardown(uid);
  // 4. back-off state of a gone pod
  deps.backoff.forgetPod(uid);
  await onStopped?.();
  // 5. the apiserver may now delete the object
  status?.podTerminated(pod);
}
