// Container statuses (app and init) from the runtime's instances, like the kubelet's
// convertToAPIContainerStatuses: newest instance → state, the one before → lastState, and the
// last sync's failure reasons (ErrImagePull, CrashLoopBackOff, ...) shown as a waiting state.
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { instancesOf, observe, timeMs } from '../podworker/instances.js';
import type { RuntimeContainer, RuntimePod } from '../runtime/runtime.js';

export interface WaitingReason {
  reason: string;
  message?: string;
}

export interface ContainerStatusContext {
  /** containerName → readiness probe result (absent: ready once running when it has no readiness probe) */
  probeReady?: ReadonlyMap<string, boolean>;
  /** containerName → startup probe succeeded (absent: started once running when it has no startup probe) */
  startupDone?: ReadonlyMap<string, boolean>;
  waitingReasons?: ReadonlyMap<string, WaitingReason>;
  /** containerId → termination message read from the exited container */
  terminationMessages?: ReadonlyMap<string, string>;
}

const rfc = (iso: string | undefined): string | undefined => {
  const t = timeMs(iso);
  return t === undefined ? undefined : nowRfc3339(new Date(t));
};

export const containerIdOf = (c: RuntimeContainer): string => `docker://${c.id}`;

/** `docker-pullable://repo@sha256:...` when the runtime knows a digest, else `docker://sha256:...`. */
export function imageIdOf(c: RuntimeContainer): string {
  const id = c.imageId ?? '';
  if (!id) return '';
  if (id.includes('://')) return id;
  return id.includes('@') ? `docker-pullable://${id}` : `docker://${id}`;
}

function terminatedReason(c: RuntimeContainer, exitCode: number): string {
  if (c.oomKilled) return 'OOMKilled';
  if (c.error && !timeMs(c.startedAt)) return 'ContainerCannotRun';
  return exitCode === 0 ? 'Completed' : 'Error';
}

/** The `terminated` state of an exited instance. */
export function terminatedState(c: RuntimeContainer, ctx: ContainerStatusContext): Record<string, unknown> {
  const obs = observe(c);
  const t: Record<string, unknown> = { exitCode: obs.exitCode, reason: terminatedReason(c, obs.exitCode) };
  const message = ctx.terminationMessages?.get(c.id) ?? (c.error && !timeMs(c.startedAt) ? c.error : undefined);
  if (message) t.message = message;
  const startedAt = rfc(c.startedAt);
  const finishedAt = rfc(c.finishedAt);
  if (startedAt) t.startedAt = startedAt;
  if (finishedAt) t.finishedAt = finishedAt;
  t.containerID = containerIdOf(c);
  return t;
}

function stateOf(c: RuntimeContainer, ctx: ContainerStatusContext): Record<string, unknown> {
  const obs = observe(c);
  if (obs.state === 'running') return { running: { startedAt: rfc(c.startedAt) ?? rfc(c.createdAt) } };
  if (obs.state === 'exited') return { terminated: terminatedState(c, ctx) };
  return { waiting: { reason: 'ContainerCreating' } };
}

/**
 * One container's status.
 * @param defaultWaiting reason shown before any instance exists (ContainerCreating / PodInitializing)
 */
export function containerStatus(
  container: any,
  kind: 'init' | 'app',
  rp: RuntimePod | undefined,
  ctx: ContainerStatusContext,
  defaultWaiting: string,
): Record<string, unknown> {
  const [latest, previous] = instancesOf(rp, container.name, kind);
  const status: Record<string, any> = { name: container.name, state: {}, lastState: {}, ready: false, restartCount: 0, image: container.image, imageID: '' };
  const wr = ctx.waitingReasons?.get(container.name);
  if (!latest) {
    status.state = { waiting: wr ? { ...wr } : { reason: defaultWaiting } };
    status.started = false;
    return status;
  }
  const obs = observe(latest);
  status.restartCount = latest.restartCount;
  status.imageID = imageIdOf(latest);
  status.containerID = containerIdOf(latest);
  status.state = stateOf(latest, ctx);
  if (previous && observe(previous).state === 'exited') status.lastState = { terminated: terminatedState(previous, ctx) };
  // the last sync could not (re)start it: show why, the exited instance becomes lastState
  if (wr && obs.state !== 'running') {
    if (status.state.terminated) status.lastState = { terminated: status.state.terminated };
    status.state = { waiting: { ...wr } };
  }
  const running = obs.state === 'running' && !!status.state.running;
  status.started = running && (ctx.startupDone?.get(container.name) ?? !container.startupProbe);
  if (kind === 'init' && container.restartPolicy !== 'Always') {
    // a regular init container is "ready" once it completed
    status.ready = !!status.state.terminated && status.state.terminated.exitCode === 0;
  } else {
    status.ready = status.started && (ctx.probeReady?.get(container.name) ?? !container.readinessProbe);
  }
  return status;
}

/** Statuses of a list of containers in spec order. */
export function containerStatuses(pod: KubeObject, kind: 'init' | 'app', rp: RuntimePod | undefined, ctx: ContainerStatusContext): Record<string, unknown>[] {
  const list: any[] = (kind === 'init' ? pod.spec?.initContainers : pod.spec?.containers) ?? [];
  // kubelet: with init containers everything waits as PodInitializing until created
  const defaultWaiting = (pod.spec?.initContainers ?? []).length > 0 ? 'PodInitializing' : 'ContainerCreating';
  return list.map((c) => containerStatus(c, kind, rp, ctx, defaultWaiting));
}
