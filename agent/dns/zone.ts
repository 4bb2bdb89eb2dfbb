// The cluster's DNS data, indexed from the Services and Endpoints the apiserver sends this node.
// Pure and rebuilt whole from a snapshot (level, not edge): cheap next to the queries it serves.
import type { KubeObject } from '../../api/types.js';
import { isIPv4 } from 'node:net';
import type { DesiredChange } from '../apiclient/types.js';

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

const keyOf = (o: KubeObject): string => `${String(o.metadata?.namespace ?? '').toLowerCase()}/${String(o.metadata?.name ?? '').toLowerCase()}`;

/**
 * Built from a snapshot, then patched by deltas. It only files the raw objects by key: a
 * Service's records are derived on its first lookup and the reverse map on the first PTR query.
 */
export class ClusterZone {
  private readonly services = new Map<string, KubeObject>();
  private readonly endpoints = new Map<string, KubeObject>();
  private readonly derived = new Map<string, ZoneService | null>();
  /** namespace → number of Services in it */
  private readonly namespaces = new Map<string, number>();
  private ptr?: Map<string, string>;
  private soaSerial: number;

  constructor(
    snap: ZoneSnapshot,
    readonly domain: string,
    serial = 1,
  ) {
    this.soaSerial = serial;
    for (const e of snap.endpoints) this.endpoints.set(keyOf(e), e);
    for (const s of snap.services) this.apply([{ kind: 'Service', type: 'upsert', object: s }], false);
  }

  /** SOA serial: grows with every change */
  get serial(): number {
    return this.soaSerial;
  }

  /** Deltas in place, O(changes): only the touched Services are derived again. */
  apply(changes: DesiredChange[], bump = true): void {
    for (const c of changes) {
      if (c.kind !== 'Service' && c.kind !== 'Endpoints') continue;
      const m = c.object.metadata;
      if (!m?.name || !m.namespace) continue;
      const key = keyOf(c.object);
      this.derived.delete(key);
      if (c.kind === 'Endpoints') {
        if (c.type === 'upsert') this.endpoints.set(key, c.object);
        else this.endpoints.delete(key);
        continue;
      }
      const ns = m.namespace.toLowerCase();
      const had = this.services.has(key);
      if (c.type === 'upsert') {
        this.services.set(key, c.object);
        if (!had) this.namespaces.set(ns, (this.namespaces.get(ns) ?? 0) + 1);
      } else if (had) {
        this.services.delete(key);
        const left = (this.namespaces.get(ns) ?? 1) - 1;
        if (left > 0) this.namespaces.set(ns, left);
        else this.namespaces.delete(ns);
      }
    }
    this.ptr = undefined;
    if (bump) this.soaSerial++;
  }

  lookupService(namespace: string, name: string): ZoneService | undefined {
    const key = `${namespace}/${name}`;
    let svc = this.derived.get(key);
    if (svc === undefined) {
      const raw = this.services.get(key);
      svc = raw ? (derive(raw, this.endpoints.get(key)) ?? null) : null;
      this.derived.set(key, svc);
    }
    return svc ?? undefined;
  }

  /** A namespace "exists" when it holds a Service: its name is then an empty non-terminal. */
  hasNamespace(namespace: string): boolean {
    return this.namespaces.has(namespace);
  }

  /** the name a reverse (in-addr.arpa) query maps to, if the IP is a ClusterIP or headless endpoint */
  ptrFor(reverse: string): string | undefined {
    if (!this.ptr) {
      this.ptr = new Map();
      for (const key of this.services.keys()) {
        const [ns, name] = key.split('/') as [string, string];
        const svc = this.lookupService(ns, name);
        if (!svc) continue;
        const fqdn = `${svc.name}.${svc.namespace}.svc.${this.domain}`;
        for (const ip of svc.clusterIps) this.ptr.set(reverseName(ip), fqdn);
        if (svc.kind === 'Headless') for (const e of svc.endpoints) this.ptr.set(reverseName(e.ip), `${e.label}.${fqdn}`);
      }
    }
    return this.ptr.get(reverse);
  }
}

function derive(s: KubeObject, ep: KubeObject | undefined): ZoneService | undefined {
  const name = s.metadata!.name!.toLowerCase();
  const namespace = s.metadata!.namespace!.toLowerCase();
  const spec = s.spec ?? {};
  const ports = ((spec.ports ?? []) as KubeObject[]).map(port);
  if (spec.type === 'ExternalName') {
    const target = String(spec.externalName ?? '').replace(/\.$/, '').toLowerCase();
    return target ? { name, namespace, kind: 'ExternalName', clusterIps: [], externalName: target, ports, endpoints: [] } : undefined;
  }
  const ips = ((spec.clusterIPs as string[] | undefined) ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter((ip) => isIPv4(ip));
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
