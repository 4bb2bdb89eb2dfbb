// Steps 4–6 for one container: image, config, create, start, postStart hook — each failure becomes
// the container's waiting reason (ErrImagePull, CreateContainerConfigError, CreateContainerError,
// RunContainerError) plus a Warning event, never an exception out of the worker. Split in two
// halves (prepare = image + create, run = start + hook) so a fresh pod can prepare its containers
// while its sandbox is still starting: Docker needs the sandbox running only to START a container
// that joins its namespaces, not to create it.
import type { KubeObject } from '../../api/types.js';
import { crashKey } from './backoff.js';
import type { PreparedVolumes } from './deps.js';
import { ensureImage } from './image-pull.js';
import type { ContainerToStart } from './pod-actions.js';
import { errorMessage, fieldPath, type SyncDeps, type SyncResult } from './sync-types.js';

export interface StartTarget {
  sandboxId: string;
  podIp: string;
  volumes: PreparedVolumes;
}

/** The downward API exposes the pod IP in env only; such a container is created once the IP is known. */
export function needsPodIp(container: any): boolean {
  return ((container?.env ?? []) as any[]).some((e) => String(e?.valueFrom?.fieldRef?.fieldPath ?? '').startsWith('status.podIP'));
}

function failer(pod: KubeObject, plan: ContainerToStart, deps: SyncDeps, result: SyncResult, signal?: AbortSignal) {
  const c = plan.container;
  return (reason: string, e: unknown): undefined => {
    if (signal?.aborted) throw e;
    const message = errorMessage(e);
    result.waitingReasons.set(c.name, { reason, message });
    deps.events.event(pod, 'Warning', 'Failed', `Error: ${message}`, fieldPath(plan.kind, c.name));
    deps.log.warn({ container: c.name, reason, err: message }, 'container start failed');
    return undefined;
  };
}

/** Steps 4–5: image present, config built, container created. Returns its id, or undefined (reason recorded). */
export async function prepareContainer(
  pod: KubeObject,
  plan: ContainerToStart,
  target: StartTarget,
  deps: SyncDeps,
  result: SyncResult,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const c = plan.container;
  const fail = failer(pod, plan, deps, result, signal);
  // 4. image
  if (!(await ensureImage(pod, c, plan.kind, deps, result, signal))) return undefined;

  // restarting after an exit: this attempt advances the CrashLoopBackOff (kubelet's backOff.Next)
  if (plan.previousFinishedAt !== undefined) deps.backoff.next(crashKey(pod.metadata.uid!, c.name), plan.previousFinishedAt, deps.now());

  // 5. config → create
  let cfg;
  try {
    cfg = deps.configs.container(pod, c, plan.kind, plan.restartCount, target.sandboxId, target.podIp, target.volumes, deps.lookup, deps.node);
  } catch (e) {
    return fail((e as { reason?: string }).reason ?? 'CreateContainerConfigError', e);
  }
  let id: string;
  try {
    id = await deps.runtime.createContainer(cfg, signal);
  } catch (e) {
    return fail('CreateContainerError', e);
  }
  deps.events.event(pod, 'Normal', 'Created', `Created container ${c.name}`, fieldPath(plan.kind, c.name));
  return id;
}

/** Step 6: start a created container and run its postStart hook. */
export async function runContainer(pod: KubeObject, plan: ContainerToStart, id: string, podIp: string, deps: SyncDeps, result: SyncResult, signal?: AbortSignal): Promise<string | undefined> {
  const c = plan.container;
  const fp = fieldPath(plan.kind, c.name);
  const fail = failer(pod, plan, deps, result, signal);
  try {
    await deps.runtime.startContainer(id, signal);
  } catch (e) {
    return fail('RunContainerError', e);
  }
  deps.events.event(pod, 'Normal', 'Started', `Started container ${c.name}`, fp);

  // postStart hook point (issue 4): a failing hook kills the container
  if (deps.hooks?.postStart && c.lifecycle?.postStart) {
    try {
      await deps.hooks.postStart(pod, c, id, signal, podIp);
    } catch (e) {
      if (signal?.aborted) throw e;
      const message = errorMessage(e);
      deps.events.event(pod, 'Warning', 'FailedPostStartHook', message, fp);
      await deps.runtime.stopContainer(id, pod.spec?.terminationGracePeriodSeconds ?? 30, signal).catch(() => undefined);
      result.waitingReasons.set(c.name, { reason: 'PostStartHookError', message });
      return undefined;
    }
  }
  deps.log.info({ container: c.name, id, restartCount: plan.restartCount }, 'container started');
  return id;
}

/** Steps 4–6 in one go, for a pod whose sandbox already runs. */
export async function startOne(
  pod: KubeObject,
  plan: ContainerToStart,
  target: StartTarget,
  deps: SyncDeps,
  result: SyncResult,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const id = await prepareContainer(pod, plan, target, deps, result, signal);
  return id === undefined ? undefined : runContainer(pod, plan, id, target.podIp, deps, result, signal);
}
