// Pure: which runtime container a log request means. The current instance is the newest one of
// that container name; --previous is the exited instance with restartCount one lower, as the
// kubelet keeps it (GC keeps the newest exited instance for exactly this).
import type { KubeObject } from '../../api/types.js';
import type { RuntimeContainer, RuntimePod } from '../runtime/runtime.js';

export type LogTarget = { ok: true; container: RuntimeContainer } | { ok: false; status: Record<string, unknown> };

export function badRequest(message: string, code = 400): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: code === 404 ? 'NotFound' : 'BadRequest', code };
}

const newestFirst = (a: RuntimeContainer, b: RuntimeContainer): number =>
  b.restartCount - a.restartCount || Date.parse(b.createdAt) - Date.parse(a.createdAt);

/** The container name to use: the requested one, else the pod's only (or default) container. */
export function defaultContainer(pod: KubeObject, requested: string): string | Record<string, unknown> {
  if (requested) return requested;
  const names = ((pod.spec?.containers ?? []) as { name: string }[]).map((c) => c.name);
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated) return annotated;
  if (names.length === 1) return names[0]!;
  return badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
}

export function selectLogContainer(pod: KubeObject, rp: RuntimePod | undefined, name: string, previous: boolean): LogTarget {
  const podName = pod.metadata.name;
  const specs = [...((pod.spec?.initContainers ?? []) as { name: string }[]), ...((pod.spec?.containers ?? []) as { name: string }[])];
  if (!specs.some((c) => c.name === name)) {
    return { ok: false, status: badRequest(`container ${name} is not valid for pod ${podName}`) };
  }
  const instances = (rp?.containers ?? []).filter((c) => c.containerName === name).sort(newestFirst);
  const current = instances[0];
  if (!previous) {
    if (!current) return { ok: false, status: badRequest(`container "${name}" in pod "${podName}" is waiting to start: ContainerCreating`) };
    return { ok: true, container: current };
  }
  const prev = current ? instances.find((c) => c.restartCount === current.restartCount - 1 && c.state === 'exited') : undefined;
  if (!prev) return { ok: false, status: badRequest(`previous terminated container "${name}" in pod "${podName}" not found`) };
  return { ok: true, container: prev };
}
