// The pure planner, like the kubelet's computePodActions: from the desired pod and what the runtime
// shows, decide what to kill, whether to (re)create the sandbox, which init container runs next and
// which app containers start or wait out their CrashLoopBackOff. No I/O, no clock: time comes in ctx.
import type { KubeObject } from '../../api/types.js';
import type { RuntimePod } from '../runtime/runtime.js';
import { deletionGraceSeconds, instancesOf, observe, podGraceSeconds, readySandbox } from './instances.js';
import type { KillReason, PodActions, PodActionsContext } from './pod-actions-types.js';
import { emptyActions, hasAnythingRunning, inSandbox, isDeadlineExceeded, kill, nextCount, planInit, shouldRestart, startOrBackoff } from './plan-steps.js';

export type * from './pod-actions-types.js';
export { isDeadlineExceeded } from './plan-steps.js';

export function computePodActions(pod: KubeObject, rp: RuntimePod | undefined, ctx: PodActionsContext): PodActions {
  const a = emptyActions(pod);
  const spec = pod.spec ?? {};
  const policy: string = spec.restartPolicy ?? 'Always';
  const inits: any[] = spec.initContainers ?? [];
  const apps: any[] = spec.containers ?? [];

  // 1. A deleted pod is killed with the deletion grace; nothing starts again.
  if (pod.metadata.deletionTimestamp) {
    a.terminal = true;
    a.killPod = true;
    a.killGraceSeconds = deletionGraceSeconds(pod);
    return a;
  }
  // 2. Terminal phases stick: a finished pod is never restarted (its sandbox may still need stopping).
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    a.terminal = true;
    a.killPod = hasAnythingRunning(rp);
    return a;
  }
  // 3. activeDeadlineSeconds: kill everything, the status generator reports DeadlineExceeded.
  if (isDeadlineExceeded(pod, ctx.now)) {
    a.terminal = true;
    a.deadlineExceeded = true;
    a.killPod = hasAnythingRunning(rp);
    return a;
  }

  // 4. Sandbox: a missing, dead, duplicated or address-less sandbox means a fresh one, and every
  //    container in the old one goes too.
  const sandbox = readySandbox(pod, rp);
  const runningSandboxes = rp?.sandboxes.filter((s) => s.state === 'running').length ?? 0;
  if (!sandbox || runningSandboxes > 1) {
    const attempt = rp?.sandboxes.length ? rp.sandboxes[0]!.restartCount + 1 : 0;
    a.killPod = hasAnythingRunning(rp);
    // kubelet: under Never a pod whose sandbox died after containers ran is done, not restarted
    if (policy === 'Never' && attempt !== 0 && (rp?.containers.length ?? 0) > 0) {
      a.terminal = true;
      return a;
    }
    a.createSandbox = true;
    a.sandboxAttempt = attempt;
    for (const c of apps) {
      const last = instancesOf(rp, c.name, 'app')[0];
      // OnFailure does not rerun a container that already succeeded (Never is handled above)
      if (last && policy === 'OnFailure' && observe(last).state === 'exited' && observe(last).exitCode === 0) continue;
      const s = startOrBackoff(a, pod, ctx, c, 'app', last, 'new sandbox');
      if (s) a.containersToStart.push(s);
    }
    if (a.containersToStart.length === 0 && a.backoff.length === 0) {
      a.createSandbox = false;
      a.terminal = true;
      return a;
    }
    if (inits.length > 0) {
      // a new sandbox reruns the init containers from the first one before any app container
      const first = inits[0];
      a.containersToStart = [];
      a.backoff = [];
      a.nextInitContainer = { container: first, kind: 'init', restartCount: nextCount(rp, first.name, 'init'), reason: 'new sandbox' };
    }
    return a;
  }
  a.sandboxId = sandbox.id;
  a.podIp = sandbox.ip;

  // 5. Init containers strictly in order; app containers wait until all have exited 0. Once an app
  //    container exists in this sandbox the pod was initialized and init containers never rerun.
  const appStarted = apps.some((c) => inSandbox(instancesOf(rp, c.name, 'app'), sandbox).length > 0);
  if (!planInit(a, pod, rp, sandbox, ctx, inits, policy, appStarted)) return a;

  // 6. App containers: start missing ones, restart exited ones per restartPolicy (with back-off),
  //    replace ones whose spec changed or whose liveness/startup probe failed.
  let alive = 0;
  for (const c of apps) {
    const last = instancesOf(rp, c.name, 'app')[0];
    if (!last) {
      a.containersToStart.push({ container: c, kind: 'app', restartCount: 0, reason: 'first start' });
      continue;
    }
    const obs = observe(last);
    if (obs.state === 'running') {
      const reason: KillReason | undefined =
        last.specHash !== ctx.specHash(c)
          ? 'spec changed'
          : ctx.startup?.get(c.name) === 'failure'
            ? 'failed startup probe'
            : ctx.liveness?.get(c.name) === 'failure'
              ? 'failed liveness probe'
              : undefined;
      if (!reason) {
        alive++;
        continue;
      }
      const probeGrace = reason === 'failed liveness probe' ? c.livenessProbe?.terminationGracePeriodSeconds : reason === 'failed startup probe' ? c.startupProbe?.terminationGracePeriodSeconds : undefined;
      kill(a, last, reason, typeof probeGrace === 'number' ? probeGrace : podGraceSeconds(pod));
      if (reason === 'spec changed') {
        a.containersToStart.push({ container: c, kind: 'app', restartCount: last.restartCount + 1, reason: 'spec changed' });
      } else if (policy !== 'Never') {
        // kubelet doBackOff: the newest exited instance (an earlier restart) decides the back-off, so
        // a container failing its probe again and again ends up in CrashLoopBackOff
        const prev = instancesOf(rp, c.name, 'app').slice(1).find((x) => observe(x).state === 'exited');
        const s = prev ? startOrBackoff(a, pod, ctx, c, 'app', prev, 'probe failure') : { container: c, kind: 'app' as const, reason: 'probe failure' as const, restartCount: 0 };
        if (s) a.containersToStart.push({ ...s, restartCount: last.restartCount + 1 });
      }
      continue;
    }
    if (obs.state === 'exited') {
      if (!shouldRestart(policy, obs.exitCode)) continue;
      const s = startOrBackoff(a, pod, ctx, c, 'app', last, 'restart');
      if (s) a.containersToStart.push(s);
      continue;
    }
    // created-but-never-started (agent died mid-start) or unknown: replace it
    kill(a, last, 'unknown state', podGraceSeconds(pod));
    a.containersToStart.push({ container: c, kind: 'app', restartCount: last.restartCount + 1, reason: 'restart' });
  }
  // 7. Nothing runs, nothing will: the pod has completed, its sandbox (and sidecars) go (kubelet's KillPod).
  const appStarts = a.containersToStart.some((x) => x.kind === 'app');
  const appNames = new Set(apps.map((c) => c.name));
  const appBackoff = a.backoff.some((b) => appNames.has(b.container));
  const appKills = a.containersToKill.some((k) => appNames.has(k.name));
  if (alive === 0 && !appStarts && !appBackoff && !appKills) {
    a.killPod = true;
    a.terminal = true;
    a.containersToStart = [];
    a.backoff = [];
  }
  return a;
}
