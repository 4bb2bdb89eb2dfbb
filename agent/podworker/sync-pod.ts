// One sync of one pod: plan with the pure computePodActions, then act in numbered steps. Failures
// become waiting reasons and events in the returned SyncResult; only an abort escapes.
import type { KubeObject } from '../../api/types.js';
import type { RuntimePod } from '../runtime/runtime.js';
import { goDuration } from './backoff.js';
import { VolumeError, type PreparedVolumes } from './deps.js';
import { startOne } from './container-start.js';
import { computePodActions, type PodActions } from './pod-actions.js';
import { killPodContainers } from './terminate-pod.js';
import { errorMessage, fieldPath, retryAt, type SyncDeps, type SyncResult } from './sync-types.js';

export const DEADLINE_MESSAGE = 'Pod was active on the node longer than the specified deadline';
/** how soon to retry a failed sandbox or volume setup */
const SETUP_RETRY_MS = 5_000;

export function planPod(pod: KubeObject, rp: RuntimePod | undefined, deps: SyncDeps): PodActions {
  const uid = pod.metadata.uid!;
  return computePodActions(pod, rp, {
    now: deps.now(),
    backoff: deps.backoff,
    specHash: (c) => deps.configs.specHash(c),
    liveness: deps.probes?.liveness(uid),
    startup: deps.probes?.startup(uid),
  });
}

export async function syncPod(pod: KubeObject, rp: RuntimePod | undefined, deps: SyncDeps, signal?: AbortSignal): Promise<SyncResult> {
  const plan = planPod(pod, rp, deps);
  const result: SyncResult = { waitingReasons: new Map(), terminal: plan.terminal, podIP: plan.podIp };

  // 0. Containers waiting out CrashLoopBackOff: their reason for the status, a BackOff event.
  for (const b of plan.backoff) {
    result.waitingReasons.set(b.container, { reason: 'CrashLoopBackOff', message: b.message });
    const kind = (pod.spec?.initContainers ?? []).some((c: any) => c.name === b.container) ? 'init' : 'app';
    deps.events.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${b.container} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, fieldPath(kind, b.container));
    retryAt(result, b.until);
    deps.log.debug({ container: b.container, delay: goDuration(b.delaySec) }, 'container in back-off');
  }

  // 1. Kill what must go: the whole pod (sandbox changed, pod done, deadline) or single containers.
  if (plan.deadlineExceeded) {
    result.failure = { reason: 'DeadlineExceeded', message: DEADLINE_MESSAGE };
    deps.events.event(pod, 'Normal', 'DeadlineExceeded', DEADLINE_MESSAGE);
  }
  if (plan.killPod) {
    await killPodContainers(pod, rp, plan.killGraceSeconds, deps, signal);
  } else {
    for (const k of plan.containersToKill) {
      const kind = (pod.spec?.initContainers ?? []).some((c: any) => c.name === k.name) ? 'init' : 'app';
      deps.events.event(pod, 'Normal', 'Killing', k.message, fieldPath(kind, k.name));
      try {
        await deps.runtime.stopContainer(k.id, k.graceSeconds, signal);
      } catch (e) {
        if (signal?.aborted) throw e;
        deps.log.warn({ container: k.name, err: errorMessage(e) }, 'kill container failed');
        retryAt(result, deps.now() + SETUP_RETRY_MS);
      }
    }
  }
  if (plan.terminal || (!plan.createSandbox && !plan.sandboxId)) return result;

  // 2. Sandbox: a fresh one on the pod network when the plan says so.
  let sandboxId = plan.sandboxId;
  let podIp = plan.podIp;
  if (plan.createSandbox) {
    try {
      await deps.ensurePodNetwork?.();
      const base = deps.configs.sandbox(pod, deps.node);
      const cfg = { ...base, identity: { ...base.identity, restartCount: plan.sandboxAttempt } };
      sandboxId = await deps.runtime.createSandbox(cfg, signal);
      await deps.runtime.startContainer(sandboxId, signal);
      // not fatal: Docker's own file (127.0.0.11 on user networks) still forwards to cfg.dns
      if (cfg.resolvConf) await deps.runtime.writeResolvConf?.(sandboxId, cfg.resolvConf).catch((e) => deps.log.warn({ err: errorMessage(e) }, 'writing resolv.conf failed'));
      const info = await deps.runtime.inspect(sandboxId);
      podIp = pod.spec?.hostNetwork ? deps.node.nodeIp : info?.ip;
      result.podIP = podIp;
    } catch (e) {
      if (signal?.aborted) throw e;
      const message = `Failed to create pod sandbox: ${errorMessage(e)}`;
      deps.events.event(pod, 'Warning', 'FailedCreatePodSandBox', message);
      deps.log.warn({ reason: 'CreatePodSandboxError', err: errorMessage(e) }, 'sandbox failed');
      retryAt(result, deps.now() + SETUP_RETRY_MS);
      return result;
    }
  }

  // 3. Volumes: refreshed every sync so ConfigMap/Secret changes reach the files.
  let volumes: PreparedVolumes;
  try {
    volumes = await deps.volumes.setup(pod, deps.lookup);
  } catch (e) {
    if (signal?.aborted) throw e;
    const message = e instanceof VolumeError ? e.message : `MountVolume.SetUp failed: ${errorMessage(e)}`;
    deps.events.event(pod, 'Warning', 'FailedMount', message);
    deps.log.warn({ reason: 'FailedMount', err: errorMessage(e) }, 'volume setup failed');
    retryAt(result, deps.now() + SETUP_RETRY_MS);
    return result;
  }
  const target = { sandboxId: sandboxId!, podIp: podIp ?? '', volumes };

  // 4–5. The next init container (image pull inside startOne); app containers wait for it.
  if (plan.nextInitContainer) {
    await startOne(pod, plan.nextInitContainer, target, deps, result, signal);
  }
  // sidecars restarting after the pod was initialized come in containersToStart with kind init
  // 6. App containers (and restarting sidecars), each independently.
  for (const s of plan.containersToStart) {
    if (signal?.aborted) throw signal.reason;
    await startOne(pod, s, target, deps, result, signal);
  }
  return result;
}
