// The cluster's DNS data, indexed from the Services and Endpoints the apiserver sends this node.
// Pure and rebuilt whole from a snapshot (level, not edge): cheap next to the queries it serves.
import type { KubeObject } from '../../api/types.js';
import { isIPv4 } from '../../lib/cidr.js';

export interface ZonePort {
  name: string;
  /** lower case: tcp, udp, sctp (the SRV label without '_') */
  protocol: string;
  port: number;
}

export interface ZoneEndpoint {
  ip: string;
  /** the label under the Service name: the pod's hostname (hostname/subdomain) or the dashed IP */
  label: string;
  ports: ZonePort[];
}

export interface ZoneService {
  name: string;
  namespace: string;
  kind: 'ClusterIP' | 'Headless' | 'ExternalName';
  clusterIps: string[];
  externalName?: string;
  ports: ZonePort[];
  /** ready addresses only (publishNotReadyAddresses puts not-ready pods there too) */
  endpoints: ZoneEndpoint[];
}

export interface ZoneSnapshot {
  services: KubeObject[];
  endpoints: KubeObject[];
}

const port = (p: KubeObject): ZonePort => ({ name: String(p.name ?? '').toLowerCase(), protocol: String(p.protocol ?? 'TCP').toLowerCase(), port: Number(p.port) });

export const dashedIp = (ip: string): string => ip.replace(/\./g, '-');

/** Reverse name of an IPv4 address: 10.96.0.10 → 10.0.96.10.in-addr.arpa */
export const reverseName = (ip: string): string => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;

export class ClusterZone {
  private readonly byKey = new Map<string, ZoneService>();
  private readonly namespaces = new Set<string>();
  private readonly ptr = new Map<string, string>();

  constructor(
    snap: ZoneSnapshot,
    readonly domain: string,
    /** SOA serial: changes whenever the data does */
    readonly serial = 1,
  ) {
    const eps = new Map<string, KubeObject>();
    for (const e of snap.endpoints) eps.set(`${e.metadata?.namespace}/${e.metadata?.name}`, e);
    for (const s of snap.services) {
      const svc = this.service(s, eps.get(`${s.metadata?.namespace}/${s.metadata?.name}`));
      if (!svc) continue;
      this.byKey.set(`${svc.namespace}/${svc.name}`, svc);
      this.namespaces.add(svc.namespace);
      const fqdn = `${svc.name}.${svc.namespace}.svc.${domain}`;
      for (const ip of svc.clusterIps) this.ptr.set(reverseName(ip), fqdn);
      if (svc.kind === 'Headless') for (const e of svc.endpoints) this.ptr.set(reverseName(e.ip), `${e.label}.${fqdn}`);
    }
  }

  private service(s: KubeObject, ep: KubeObject | undefined): ZoneService | undefined {
    const name = s.metadata?.name?.toLowerCase();
    const namespace = s.metadata?.namespace?.toLowerCase();
    if (!name || !namespace) return undefined;
    const spec = s.spec ?? {};
    const ports = ((spec.ports ?? []) as KubeObject[]).map(port);
    if (spec.type === 'ExternalName') {
      const target = String(spec.externalName ?? '').replace(/\.$/, '').toLowerCase();
      return target ? { name, namespace, kind: 'ExternalName', clusterIps: [], externalName: target, ports, endpoints: [] } : undefined;
    }
    const ips = ((spec.clusterIPs as string[] | undefined) ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter(isIPv4);
    if (spec.clusterIP !== 'None' && ips.length) return { name, namespace, kind: 'ClusterIP', clusterIps: ips, ports, endpoints: [] };
    if (spec.clusterIP !== 'None') return undefined; // not allocated yet: nothing to answer
    const endpoints: ZoneEndpoint[] = [];
    const seen = new Set<string>();
    for (const sub of (ep?.subsets ?? []) as KubeObject[]) {
      const subPorts = ((sub.ports ?? []) as KubeObject[]).map(port);
      for (const a of (sub.addresses ?? []) as KubeObject[]) {
        if (!isIPv4(a.ip) || seen.has(a.ip)) continue;
        seen.add(a.ip);
        endpoints.push({ ip: a.ip, label: a.hostname ? String(a.hostname).toLowerCase() : dashedIp(a.ip), ports: subPorts });
      }
    }
    return { name, namespace, kind: 'Headless', clusterIps: [], ports, endpoints };
  }

  lookupService(namespace: string, name: string): ZoneService | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  /** A namespace "exists" when it holds a Service: its name is then an empty non-terminal. */
  hasNamespace(namespace: string): boolean {
    return this.namespaces.has(namespace);
  }

  /** the name a reverse (in-addr.arpa) query maps to, if the IP is a ClusterIP or headless endpoint */
  ptrFor(reverse: string): string | undefined {
    return this.ptr.get(reverse);
  }
}
