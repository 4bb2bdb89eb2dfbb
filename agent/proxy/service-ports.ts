// The proxy's input model: one entry per Service port with its VIP, node port, affinity and ready
// endpoints (from the v1 Endpoints object of the same name, matched by port name). Pure.
import type { KubeObject } from '../../api/types.js';

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface Endpoint {
  ip: string;
  port: number;
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

/** Every proxied Service port: ClusterIP/NodePort/LoadBalancer with an IPv4 ClusterIP (not headless, not ExternalName). */
export function servicePorts(services: Iterable<KubeObject>, endpoints: Iterable<KubeObject>): ServicePort[] {
  const eps = new Map<string, KubeObject>();
  for (const e of endpoints) eps.set(`${e.metadata.namespace}/${e.metadata.name}`, e);
  const out: ServicePort[] = [];
  for (const svc of services) {
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName' || !isIpv4(spec.clusterIP)) continue;
    const name = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const subsets: any[] = eps.get(name)?.subsets ?? [];
    const affinity = spec.sessionAffinity === 'ClientIP' ? Number(spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : undefined;
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
          list.push({ ip: a.ip, port: Number(sp.port) });
        }
      }
      list.sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }) || a.port - b.port);
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
  }
  return out.sort((a, b) => a.key.localeCompare(b.key) || a.protocol.localeCompare(b.protocol));
}
