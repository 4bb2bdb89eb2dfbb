// One sync of one pod: plan with the pure computePodActions, then act in numbered steps. Failures
// become waiting reasons and events in the returned SyncResult; only an abort escapes.
import type { KubeObject } from '../../api/types.js';
import type { RuntimePod } from '../runtime/runtime.js';
import { goDuration } from './backoff.js';
import { VolumeError, type PreparedVolumes } from './deps.js';
import { needsPodIp, prepareContainer, runContainer, startOne } from './container-start.js';
import { computePodActions, type PodActions } from './pod-actions.js';
import { killPodContainers, stopWithPreStop } from './terminate-pod.js';
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
        await stopWithPreStop(pod, kind, k.name, k.id, k.reason !== 'unknown state', k.graceSeconds, deps, signal, plan.podIp);
      } catch (e) {
        if (signal?.aborted) throw e;
        deps.log.warn({ container: k.name, err: errorMessage(e) }, 'kill container failed');
        retryAt(result, deps.now() + SETUP_RETRY_MS);
      }
    }
  }
  if (plan.terminal || (!plan.createSandbox && !plan.sandboxId)) return result;

  // 2. Sandbox: a fresh one on the pod network when the plan says so. Only its creation is awaited
  //    here; its start (Docker's network setup, the slow part) overlaps steps 3–5.
  let sandboxId = plan.sandboxId;
  let podIp = plan.podIp;
  let sandboxStart: Promise<string | undefined> | undefined;
  if (plan.createSandbox) {
    let resolvConf: string | undefined;
    try {
      await deps.ensurePodNetwork?.();
      const base = deps.configs.sandbox(pod, deps.node);
      const cfg = { ...base, identity: { ...base.identity, restartCount: plan.sandboxAttempt } };
      resolvConf = cfg.resolvConf;
      sandboxId = await deps.runtime.createSandbox(cfg, signal);
    } catch (e) {
      return sandboxFailed(pod, e, deps, result, signal);
    }
    sandboxStart = startSandbox(pod, sandboxId, resolvConf, deps, signal);
    // a failure is handled where it is awaited; this only keeps it from being "unhandled" meanwhile
    sandboxStart.catch(() => undefined);
    if (pod.spec?.hostNetwork) podIp = deps.node.nodeIp;
  }

  // 3. Volumes: refreshed every sync so ConfigMap/Secret changes reach the files.
  let volumes: PreparedVolumes;
  try {
    volumes = await deps.volumes.setup(pod, deps.lookup);
  } catch (e) {
    await sandboxStart?.catch(() => undefined);
    if (signal?.aborted) throw e;
    const message = e instanceof VolumeError ? e.message : `MountVolume.SetUp failed: ${errorMessage(e)}`;
    deps.events.event(pod, 'Warning', 'FailedMount', message);
    deps.log.warn({ reason: 'FailedMount', err: errorMessage(e) }, 'volume setup failed');
    retryAt(result, deps.now() + SETUP_RETRY_MS);
    return result;
  }
  const target = { sandboxId: sandboxId!, podIp: podIp ?? '', volumes };

  // 4–6. The next init container (app containers wait for it), then app containers and restarting
  //      sidecars, each independently and in order.
  const toStart = [...(plan.nextInitContainer ? [plan.nextInitContainer] : []), ...plan.containersToStart];
  if (!sandboxStart) {
    for (const s of toStart) {
      if (signal?.aborted) throw signal.reason;
      await startOne(pod, s, target, deps, result, signal);
    }
    return result;
  }
  // A new sandbox: images and creates go now, beside the sandbox start, except for containers whose
  // env needs the pod IP (known once the sandbox runs); starts wait for the sandbox.
  const early = toStart.map((s) => (podIp || !needsPodIp(s.container) ? prepareContainer(pod, s, target, deps, result, signal) : undefined));
  // each is awaited below (in order) or settled on failure; until then an abort must not surface
  // as an unhandled rejection
  for (const p of early) p?.catch(() => undefined);
  let ip: string | undefined;
  try {
    ip = await sandboxStart;
  } catch (e) {
    // what was created for the dead sandbox goes, so the retry starts clean (restart counts unchanged)
    const ids = await Promise.allSettled(early.map((p) => p ?? Promise.resolve(undefined)));
    for (const r of ids) if (r.status === 'fulfilled' && r.value) await deps.runtime.removeContainer(r.value).catch(() => undefined);
    return sandboxFailed(pod, e, deps, result, signal);
  }
  result.podIP = ip;
  const started = { ...target, podIp: ip ?? '' };
  for (const [i, s] of toStart.entries()) {
    const id = await (early[i] ?? prepareContainer(pod, s, started, deps, result, signal));
    if (signal?.aborted) throw signal.reason;
    if (id !== undefined) await runContainer(pod, s, id, started.podIp, deps, result, signal);
  }
  return result;
}

/** Start a freshly created sandbox; resolves to the pod IP. */
async function startSandbox(pod: KubeObject, id: string, resolvConf: string | undefined, deps: SyncDeps, signal?: AbortSignal): Promise<string | undefined> {
  await deps.runtime.startContainer(id, signal);
  // not fatal: Docker's own file (127.0.0.11 on user networks) still forwards to the configured DNS
  if (resolvConf) await deps.runtime.writeResolvConf?.(id, resolvConf).catch((e) => deps.log.warn({ err: errorMessage(e) }, 'writing resolv.conf failed'));
  if (pod.spec?.hostNetwork) return deps.node.nodeIp;
  deps.sandboxStarted?.();
  return (await deps.runtime.inspect(id))?.ip;
}

function sandboxFailed(pod: KubeObject, e: unknown, deps: SyncDeps, result: SyncResult, signal?: AbortSignal): SyncResult {
  if (signal?.aborted) throw e;
  const message = `Failed to create pod sandbox: ${errorMessage(e)}`;
  deps.events.event(pod, 'Warning', 'FailedCreatePodSandBox', message);
  deps.log.warn({ reason: 'CreatePodSandboxError', err: errorMessage(e) }, 'sandbox failed');
  retryAt(result, deps.now() + SETUP_RETRY_MS);
  return result;
}
