// Steps 4–6 for one container: image, config, create, start, postStart hook — each failure becomes
// the container's waiting reason (ErrImagePull, CreateContainerConfigError, CreateContainerError,
// RunContainerError) plus a Warning event, never an exception out of the worker.
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

/** Returns the new container id, or undefined when it could not be started (reason recorded). */
export async function startOne(
  pod: KubeObject,
  plan: ContainerToStart,
  target: StartTarget,
  deps: SyncDeps,
  result: SyncResult,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const c = plan.container;
  const fp = fieldPath(plan.kind, c.name);
  const log = deps.log.child({ container: c.name });
  const fail = (reason: string, e: unknown): undefined => {
    if (signal?.aborted) throw e;
    const message = errorMessage(e);
    result.waitingReasons.set(c.name, { reason, message });
    deps.events.event(pod, 'Warning', 'Failed', `Error: ${message}`, fp);
    log.warn({ reason, err: message }, 'container start failed');
    return undefined;
  };

  // 4. image
  if (!(await ensureImage(pod, c, plan.kind, deps, result, signal))) return undefined;

  // restarting after an exit: this attempt advances the CrashLoopBackOff (kubelet's backOff.Next)
  if (plan.previousFinishedAt !== undefined) deps.backoff.next(crashKey(pod.metadata.uid!, c.name), plan.previousFinishedAt, deps.now());

  // 5/6. config → create → start
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
  deps.events.event(pod, 'Normal', 'Created', `Created container ${c.name}`, fp);
  try {
    await deps.runtime.startContainer(id, signal);
  } catch (e) {
    return fail('RunContainerError', e);
  }
  deps.events.event(pod, 'Normal', 'Started', `Started container ${c.name}`, fp);

  // postStart hook point (issue 4): a failing hook kills the container
  if (deps.hooks?.postStart && c.lifecycle?.postStart) {
    try {
      await deps.hooks.postStart(pod, c, id, signal, target.podIp);
    } catch (e) {
      if (signal?.aborted) throw e;
      const message = errorMessage(e);
      deps.events.event(pod, 'Warning', 'FailedPostStartHook', message, fp);
      await deps.runtime.stopContainer(id, pod.spec?.terminationGracePeriodSeconds ?? 30, signal).catch(() => undefined);
      result.waitingReasons.set(c.name, { reason: 'PostStartHookError', message });
      return undefined;
    }
  }
  log.info({ id, restartCount: plan.restartCount }, 'container started');
  return id;
}
