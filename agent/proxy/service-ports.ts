// The proxy's input model: one entry per Service port with its VIP, node port, affinity and ready
// endpoints (from the v1 Endpoints object of the same name, matched by port name). Pure.
import type { KubeObject } from '../../api/types.js';

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface Endpoint {
  ip: string;
  port: number;
  /**
   * On this node, or on a node we cannot tell (no nodeName): it could be the very client reaching
   * its own Service, so it needs the hairpin check of an endpoint chain. A remote endpoint never can,
   * and is DNATed straight from the Service chain (fewer chains and rules: LAB.md measured the
   * kernel's cost of every change growing with the rules reachable from the hooks).
   */
  local: boolean;
}

export interface PortOptions {
  /** this node's name; without it every endpoint counts as local (always correct, more rules) */
  nodeName?: string;
}

export interface ServicePort {
  /** "namespace/name:portName", or "namespace/name" for an unnamed port */
  key: string;
  clusterIP: string;
  port: number;
  protocol: Protocol;
  nodePort?: number;
  /** sessionAffinity ClientIP timeout, in seconds */
  affinitySeconds?: number;
  /** ready endpoints, sorted */
  endpoints: Endpoint[];
}

const isIpv4 = (s: unknown): s is string => typeof s === 'string' && /^\d{1,3}(\.\d{1,3}){3}$/.test(s);

const ipNum = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/** The proxied ports of one Service (none for headless/ExternalName), with their ready endpoints. */
export function portsOfService(svc: KubeObject, ep: KubeObject | undefined, opts: PortOptions = {}): ServicePort[] {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName' || !isIpv4(spec.clusterIP)) return [];
  const name = `${svc.metadata.namespace}/${svc.metadata.name}`;
  const subsets: any[] = ep?.subsets ?? [];
  const affinity = spec.sessionAffinity === 'ClientIP' ? Number(spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : undefined;
  const out: ServicePort[] = [];
  for (const p of spec.ports ?? []) {
    const protocol = String(p.protocol ?? 'TCP').toLowerCase() as Protocol;
    const portName = p.name ?? '';
    const seen = new Set<string>();
    const list: Endpoint[] = [];
    for (const s of subsets) {
      const sp = (s.ports ?? []).find((x: any) => (x.name ?? '') === portName && String(x.protocol ?? 'TCP').toLowerCase() === protocol);
      if (!sp) continue;
      for (const a of s.addresses ?? []) {
        const id = `${a.ip}:${sp.port}`;
        if (!isIpv4(a.ip) || seen.has(id)) continue;
        seen.add(id);
        list.push({ ip: a.ip, port: Number(sp.port), local: !opts.nodeName || !a.nodeName || a.nodeName === opts.nodeName });
      }
    }
    list.sort((a, b) => ipNum(a.ip) - ipNum(b.ip) || a.port - b.port);
    out.push({
      key: portName ? `${name}:${portName}` : name,
      clusterIP: spec.clusterIP,
      port: Number(p.port),
      protocol,
      ...((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && p.nodePort ? { nodePort: Number(p.nodePort) } : {}),
      ...(affinity !== undefined ? { affinitySeconds: affinity } : {}),
      endpoints: list,
    });
  }
  return out;
}

const byKey = (a: ServicePort, b: ServicePort): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0);

/**
 * Every proxied Service port, sorted. `memo` (optional) maps a Service object to the ports last
 * computed for it and the Endpoints object they came from: desired-state objects are replaced, never
 * mutated, so an unchanged pair is recognised by identity and its ports (and their rendering) reused.
 */
export function servicePorts(services: Iterable<KubeObject>, endpoints: Iterable<KubeObject>, memo?: WeakMap<KubeObject, { ep: KubeObject | undefined; ports: ServicePort[] }>, opts: PortOptions = {}): ServicePort[] {
  const eps = new Map<string, KubeObject>();
  for (const e of endpoints) eps.set(`${e.metadata.namespace}/${e.metadata.name}`, e);
  const out: ServicePort[] = [];
  for (const svc of services) {
    const ep = eps.get(`${svc.metadata.namespace}/${svc.metadata.name}`);
    const hit = memo?.get(svc);
    if (hit && hit.ep === ep) {
      out.push(...hit.ports);
      continue;
    }
    const ports = portsOfService(svc, ep, opts);
    memo?.set(svc, { ep, ports });
    out.push(...ports);
  }
  return out.sort(byKey);
}
