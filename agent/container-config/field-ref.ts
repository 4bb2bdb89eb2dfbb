// Pod and container fields exposed through the downward API (env valueFrom and downwardAPI volumes),
// with the kubelet's formatting so programs see the same strings as on a real node.
import type { KubeObject } from '../../api/types.js';
import { parseQuantity } from '../../api/quantity.js';

export interface FieldContext {
  podIp?: string;
  podIps?: string[];
  hostIp?: string;
}

export interface Allocatable {
  /** cores */
  cpu: number;
  /** bytes */
  memory: number;
}

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.*)'\]$/;

/** kubelet's FormatMap: sorted `key="value"` lines, no trailing newline. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/** Value of a fieldRef.fieldPath; throws on an unsupported path (kubelet: "unsupported fieldPath"). */
export function podFieldValue(pod: KubeObject, fieldPath: string, ctx: FieldContext): string {
  const sub = SUBSCRIPT.exec(fieldPath);
  if (sub) {
    const map = (pod.metadata[sub[1] as 'labels' | 'annotations'] ?? {}) as Record<string, string>;
    return map[sub[2]] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return ctx.hostIp ?? pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return ctx.hostIp ?? (pod.status?.hostIPs ?? []).map((x: { ip: string }) => x.ip).join(',');
    case 'status.podIP':
      return ctx.podIp ?? pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (ctx.podIps ?? (ctx.podIp ? [ctx.podIp] : (pod.status?.podIPs ?? []).map((x: { ip: string }) => x.ip))).join(',');
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

export interface ResourceFieldRef {
  containerName?: string;
  resource: string;
  divisor?: string | number;
}

function quantity(v: unknown): number | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  return parseQuantity(v);
}

/**
 * Value of a resourceFieldRef for a container, rounded up to the divisor as the kubelet does.
 * Limits default to node allocatable when unset; requests default to limits (API defaulting), else 0.
 */
export function containerResourceValue(ref: ResourceFieldRef, container: KubeObject, alloc: Allocatable): string {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const divisor = ref.divisor === undefined || quantity(ref.divisor) === 0 ? 1 : quantity(ref.divisor)!;
  const pick = (kind: 'limits' | 'requests', res: string): number => {
    const lim = quantity(limits[res]);
    if (kind === 'limits') return lim ?? (res === 'cpu' ? alloc.cpu : res === 'memory' ? alloc.memory : 0);
    return quantity(requests[res]) ?? lim ?? 0;
  };
  const [kind, res] = ref.resource.split('.', 2) as ['limits' | 'requests', string];
  if ((kind !== 'limits' && kind !== 'requests') || !['cpu', 'memory', 'ephemeral-storage'].includes(res)) {
    throw new Error(`unsupported container resource : ${ref.resource}`);
  }
  const value = pick(kind, res);
  if (res === 'cpu') {
    // kubelet divides milli-values, so a 100m divisor over 250m gives ceil(2.5) = 3
    return String(Math.ceil(Math.round(value * 1000) / Math.round(divisor * 1000)));
  }
  return String(Math.ceil(Math.round(value) / Math.round(divisor)));
}
