// Deterministic Docker container names, shaped like dockershim's:
//   k8s_<container>_<pod>_<namespace>_<uid>_<restartCount>   (sandbox: container "POD")
// Two agents (or one restarted mid-create) that try the same attempt collide on the name, which
// Docker refuses: the name is a cheap uniqueness guard on top of the labels.
import type { ContainerIdentity } from './runtime.js';

export const NAME_PREFIX = 'k8s';
export const SANDBOX_CONTAINER_NAME = 'POD';

export function containerName(id: ContainerIdentity): string {
  const c = id.kind === 'sandbox' ? SANDBOX_CONTAINER_NAME : id.containerName;
  return [NAME_PREFIX, c, id.podName, id.podNamespace, id.podUid, String(id.restartCount)].join('_');
}

export interface ParsedName {
  containerName: string;
  podName: string;
  podNamespace: string;
  podUid: string;
  restartCount: number;
}

/**
 * Parse a name made by containerName (a leading "/" as Docker reports it is accepted). Kubernetes
 * names never contain "_", so splitting is unambiguous; a random suffix added after a name conflict
 * (6th field) is ignored.
 */
export function parseContainerName(name: string): ParsedName | undefined {
  const parts = name.replace(/^\//, '').split('_');
  if (parts.length < 6 || parts[0] !== NAME_PREFIX) return undefined;
  const restartCount = Number(parts[5]);
  if (!Number.isInteger(restartCount) || restartCount < 0) return undefined;
  return { containerName: parts[1]!, podName: parts[2]!, podNamespace: parts[3]!, podUid: parts[4]!, restartCount };
}
