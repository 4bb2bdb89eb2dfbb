// Docker label keys that carry a container's Kubernetes identity. The runtime is the memory: after an
// agent restart these labels (not any local file) tell which pod, container and attempt a container is.
import type { ContainerIdentity, ContainerKind } from './runtime.js';

export const LABEL_POD_UID = 'io.kinglet.pod.uid';
export const LABEL_POD_NAME = 'io.kinglet.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kinglet.pod.namespace';
export const LABEL_CONTAINER_NAME = 'io.kinglet.container.name';
export const LABEL_CONTAINER_KIND = 'io.kinglet.container.kind';
export const LABEL_CONTAINER_HASH = 'io.kinglet.container.hash';
export const LABEL_RESTART_COUNT = 'io.kinglet.container.restart-count';
export const LABEL_MANAGED = 'io.kinglet.managed';

/** Docker label filter selecting every kinglet container ("key=value"). */
export const MANAGED_FILTER = `${LABEL_MANAGED}=true`;

const KINDS: readonly ContainerKind[] = ['sandbox', 'init', 'app'];

/** Labels for a container; identity keys win over caller-supplied extras so they cannot be spoofed. */
export function identityLabels(id: ContainerIdentity, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...extra,
    [LABEL_POD_UID]: id.podUid,
    [LABEL_POD_NAME]: id.podName,
    [LABEL_POD_NAMESPACE]: id.podNamespace,
    [LABEL_CONTAINER_NAME]: id.containerName,
    [LABEL_CONTAINER_KIND]: id.kind,
    [LABEL_CONTAINER_HASH]: id.specHash,
    [LABEL_RESTART_COUNT]: String(id.restartCount),
    [LABEL_MANAGED]: 'true',
  };
}

/** Identity back from labels; undefined when the container is not a (complete) kinglet container. */
export function identityFromLabels(labels: Record<string, string> | undefined | null): ContainerIdentity | undefined {
  if (!labels || labels[LABEL_MANAGED] !== 'true') return undefined;
  const podUid = labels[LABEL_POD_UID];
  const podName = labels[LABEL_POD_NAME];
  const podNamespace = labels[LABEL_POD_NAMESPACE];
  const containerName = labels[LABEL_CONTAINER_NAME];
  const kind = labels[LABEL_CONTAINER_KIND] as ContainerKind;
  if (!podUid || !podName || !podNamespace || !containerName || !KINDS.includes(kind)) return undefined;
  const rc = Number(labels[LABEL_RESTART_COUNT]);
  return {
    podUid,
    podName,
    podNamespace,
    containerName,
    kind,
    specHash: labels[LABEL_CONTAINER_HASH] ?? '',
    restartCount: Number.isInteger(rc) && rc >= 0 ? rc : 0,
  };
}
