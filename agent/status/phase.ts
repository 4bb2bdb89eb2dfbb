// The pod phase exactly as the kubelet's getPhase derives it from the container statuses.
import type { KubeObject } from '../../api/types.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

const byName = (list: any[] | undefined, name: string): any => list?.find((s) => s?.name === name);

/** Any app container that ran at some point (running, terminated, or waiting after a termination). */
export function hasAnyRegularContainerStarted(spec: any, statuses: any[] | undefined): boolean {
  for (const c of spec?.containers ?? []) {
    const s = byName(statuses, c.name);
    if (!s) continue;
    if (s.state?.running || s.state?.terminated || s.lastState?.terminated) return true;
  }
  return false;
}

/**
 * @param podIsTerminal the pod is being torn down for good (deleted, or its worker finished), so
 *   its containers will not restart whatever the restartPolicy says.
 */
export function getPhase(pod: KubeObject, initStatuses: any[] | undefined, statuses: any[] | undefined, podIsTerminal = false): PodPhase {
  const spec = pod.spec ?? {};
  const policy = spec.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of spec.initContainers ?? []) {
    const s = byName(initStatuses, c.name);
    if (c.restartPolicy === 'Always') {
      // sidecar: pending until started; its failures never fail the pod
      if (!s) pendingInit++;
      else if (s.state?.running) {
        if (!s.started) pendingInit++;
      } else if (s.state?.terminated) {
        // terminated sidecars do not count for the phase
      } else if (s.state?.waiting) {
        if (!s.lastState?.terminated) pendingInit++;
      } else pendingInit++;
      continue;
    }
    if (!s) {
      pendingInit++;
      continue;
    }
    if (s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.containers ?? []) {
    const s = byName(statuses, c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if ((pendingInit > 0 && !hasAnyRegularContainerStarted(spec, statuses)) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
