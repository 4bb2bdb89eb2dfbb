// What a pod asks of a node: summed resource requests and host ports. Pure.
import { tryParseQuantity } from '../../api/quantity.js';
import type { KubeObject } from '../../api/types.js';

export type ResourceList = Record<string, number>;

interface Container {
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  ports?: { hostPort?: number; containerPort?: number; protocol?: string; hostIP?: string }[];
  restartPolicy?: string;
}

/** cpu in cores, memory in bytes, anything else as its plain quantity value. */
function containerRequests(c: Container): ResourceList {
  const out: ResourceList = {};
  // A limit without a request means request = limit (the apiserver defaults it the same way).
  const merged = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
  for (const [name, q] of Object.entries(merged)) {
    const v = tryParseQuantity(q);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function add(into: ResourceList, from: ResourceList): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/**
 * Effective requests: init containers run one at a time before the app containers, so the pod
 * needs max(largest init container, sum of app containers) per resource, plus pod overhead.
 */
export function podRequests(pod: KubeObject): ResourceList {
  const spec = pod.spec ?? {};
  const apps: ResourceList = {};
  for (const c of (spec.containers ?? []) as Container[]) add(apps, containerRequests(c));
  const out: ResourceList = { ...apps };
  for (const c of (spec.initContainers ?? []) as Container[]) {
    for (const [k, v] of Object.entries(containerRequests(c))) out[k] = Math.max(out[k] ?? 0, v);
  }
  const overhead: ResourceList = {};
  for (const [k, q] of Object.entries((spec.overhead ?? {}) as Record<string, string>)) {
    const v = tryParseQuantity(q);
    if (v !== undefined) overhead[k] = v;
  }
  add(out, overhead);
  return out;
}

// The scheduler's stand-ins for containers without requests, so scoring still spreads them.
const DEFAULT_MILLI_CPU = 0.1;
const DEFAULT_MEMORY = 200 * 1024 * 1024;

/** Requests for scoring only: cpu/memory of 0 count as the defaults (Kubernetes' non-zero requests). */
export function podNonZeroRequests(pod: KubeObject): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of (pod.spec?.containers ?? []) as Container[]) {
    const r = containerRequests(c);
    cpu += r.cpu || DEFAULT_MILLI_CPU;
    memory += r.memory || DEFAULT_MEMORY;
  }
  return { cpu, memory };
}

export interface HostPort {
  port: number;
  protocol: string;
  hostIP: string;
}

export function podHostPorts(pod: KubeObject): HostPort[] {
  const out: HostPort[] = [];
  const containers = [...((pod.spec?.initContainers ?? []) as Container[]), ...((pod.spec?.containers ?? []) as Container[])];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ port: p.hostPort, protocol: p.protocol || 'TCP', hostIP: p.hostIP || '0.0.0.0' });
    }
  }
  return out;
}

/** Succeeded/Failed pods hold nothing on their node. */
export const isTerminal = (pod: KubeObject): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** A node's allocatable (falls back to capacity), parsed. */
export function nodeAllocatable(node: KubeObject): ResourceList {
  const src: Record<string, string> = node.status?.allocatable ?? node.status?.capacity ?? {};
  const out: ResourceList = {};
  for (const [k, q] of Object.entries(src)) {
    const v = tryParseQuantity(q);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
