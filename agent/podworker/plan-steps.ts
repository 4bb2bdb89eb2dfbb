// Building blocks of computePodActions: restart-or-back-off decisions, kills, and the init
// container walk. Pure like the planner itself.
import type { KubeObject } from '../../api/types.js';
import type { RuntimeContainer, RuntimePod } from '../runtime/runtime.js';
import { crashKey, goDuration } from './backoff.js';
import { instancesOf, isSidecar, observe, podDesc, podGraceSeconds, runningContainers, timeMs } from './instances.js';
import type { ContainerToStart, KillReason, PodActions, PodActionsContext } from './pod-actions-types.js';

export function emptyActions(pod: KubeObject): PodActions {
  return {
    killPod: false,
    killGraceSeconds: podGraceSeconds(pod),
    createSandbox: false,
    sandboxAttempt: 0,
    containersToStart: [],
    containersToKill: [],
    backoff: [],
    deadlineExceeded: false,
    terminal: false,
  };
}

export const hasAnythingRunning = (rp: RuntimePod | undefined): boolean =>
  runningContainers(rp).length > 0 || !!rp?.sandboxes.some((s) => s.state === 'running');

/** activeDeadlineSeconds counts from status.startTime (set by the first sync on this node). */
export function isDeadlineExceeded(pod: KubeObject, now: number): boolean {
  const ads = pod.spec?.activeDeadlineSeconds;
  const start = timeMs(pod.status?.startTime);
  return typeof ads === 'number' && start !== undefined && now - start >= ads * 1000;
}

/** Restart policy of a container: sidecars always restart, others follow the pod. */
export function shouldRestart(policy: string, exitCode: number): boolean {
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exitCode !== 0;
  return false;
}

/** Start a container again unless its last exit is still inside the CrashLoopBackOff window. */
export function startOrBackoff(
  a: PodActions,
  pod: KubeObject,
  ctx: PodActionsContext,
  container: any,
  kind: 'init' | 'app',
  last: RuntimeContainer | undefined,
  reason: ContainerToStart['reason'],
): ContainerToStart | undefined {
  if (!last) return { container, kind, restartCount: 0, reason: reason === 'restart' ? 'first start' : reason };
  const obs = observe(last);
  const restartCount = last.restartCount + 1;
  if (obs.state !== 'exited' || obs.finishedAt === undefined) return { container, kind, restartCount, reason };
  const win = ctx.backoff.crashBackOff(crashKey(pod.metadata.uid!, container.name), obs.finishedAt, ctx.now);
  if (win) {
    const message = `back-off ${goDuration(win.delaySec)} restarting failed container=${container.name} pod=${podDesc(pod)}`;
    a.backoff.push({ container: container.name, until: win.until, delaySec: win.delaySec, message });
    return undefined;
  }
  return { container, kind, restartCount, reason, previousFinishedAt: obs.finishedAt };
}

/** The containers of the current sandbox only, so a recreated sandbox reruns its init containers. */
export function inSandbox(list: RuntimeContainer[], sandbox: RuntimeContainer): RuntimeContainer[] {
  const since = timeMs(sandbox.createdAt) ?? 0;
  return list.filter((c) => (timeMs(c.createdAt) ?? since) >= since);
}

export const killMessage = (name: string, reason: KillReason): string =>
  reason === 'spec changed'
    ? `Container ${name} definition changed, will be restarted`
    : reason === 'failed liveness probe'
      ? `Container ${name} failed liveness probe, will be restarted`
      : reason === 'failed startup probe'
        ? `Container ${name} failed startup probe, will be restarted`
        : `Container ${name} is in an unknown state, will be restarted`;

export function kill(a: PodActions, c: RuntimeContainer, reason: KillReason, graceSeconds: number): void {
  a.containersToKill.push({ id: c.id, name: c.containerName, reason, message: killMessage(c.containerName, reason), graceSeconds });
}

export function nextCount(rp: RuntimePod | undefined, name: string, kind: 'init' | 'app'): number {
  const last = instancesOf(rp, name, kind)[0];
  return last ? last.restartCount + 1 : 0;
}

/**
 * Plan init containers; returns true when all are done (app containers may run). Once the pod was
 * initialized only sidecars are looked after: regular init containers never rerun.
 */
export function planInit(
  a: PodActions,
  pod: KubeObject,
  rp: RuntimePod | undefined,
  sandbox: RuntimeContainer,
  ctx: PodActionsContext,
  inits: any[],
  policy: string,
  initialized: boolean,
): boolean {
  let done = true;
  for (const c of inits) {
    if (initialized && !isSidecar(c)) continue;
    const all = instancesOf(rp, c.name, 'init');
    const last = inSandbox(all, sandbox)[0];
    if (!last) {
      a.nextInitContainer = { container: c, kind: 'init', restartCount: all[0] ? all[0].restartCount + 1 : 0, reason: 'first start' };
      return false;
    }
    const obs = observe(last);
    if (isSidecar(c)) {
      // a sidecar counts once running; when it exits it restarts (with back-off) whatever the pod policy
      if (obs.state === 'running') continue;
      if (obs.state === 'exited') {
        const s = startOrBackoff(a, pod, ctx, c, 'init', last, 'restart');
        if (s) a.containersToStart.push(s);
      } else {
        kill(a, last, 'unknown state', podGraceSeconds(pod));
        a.containersToStart.push({ container: c, kind: 'init', restartCount: last.restartCount + 1, reason: 'restart' });
      }
      if (!initialized) done = false;
      continue;
    }
    if (obs.state === 'running') return false;
    if (obs.state === 'exited' && obs.exitCode === 0) continue;
    if (obs.state === 'exited') {
      if (policy === 'Never') {
        // the pod has failed: no app containers, the sandbox goes
        a.initFailed = { container: c.name, exitCode: obs.exitCode };
        a.killPod = true;
        a.terminal = true;
        return false;
      }
      const s = startOrBackoff(a, pod, ctx, c, 'init', last, 'restart');
      if (s) a.nextInitContainer = s;
      return false;
    }
    kill(a, last, 'unknown state', podGraceSeconds(pod));
    a.nextInitContainer = { container: c, kind: 'init', restartCount: last.restartCount + 1, reason: 'restart' };
    return false;
  }
  return done;
}
