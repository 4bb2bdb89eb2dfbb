// The cluster resolver: one question + the zone → an authoritative answer, or "forward" for names
// outside the cluster domain. Pure. Names follow the Kubernetes DNS specification:
//   <svc>.<ns>.svc.<domain>                A: ClusterIP, or a headless Service's ready endpoint IPs
//   <hostname|a-b-c-d>.<svc>.<ns>.svc...    A: one endpoint of a headless Service
//   _<port>._<proto>.<svc>.<ns>.svc...      SRV for a named port (and SRV on <svc> for all ports)
//   <a-b-c-d>.<ns>.pod.<domain>             A: the IP in the name (CoreDNS "pods insecure")
// Names that exist answer NOERROR, with no records (plus the SOA) when the type has none (AAAA in
// this IPv4 cluster); names that do not exist answer NXDOMAIN with the SOA, so search-path
// candidates fail fast and never leave the node.
import type { Answer, Question, SrvAnswer } from 'dns-packet';
import { isIPv4 } from '../../lib/cidr.js';
import type { ClusterZone, ZoneEndpoint, ZonePort, ZoneService } from './zone.js';

export const DEFAULT_TTL = 5;

export interface Resolution {
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  /** an ExternalName's target: the server resolves it and appends those records */
  cname?: string;
}

export type Outcome = { kind: 'local'; res: Resolution } | { kind: 'forward' };

/** ANY is answered like A (RFC 8482 allows a subset); dns-packet's types omit it. */
const wantsA = (q: Question): boolean => q.type === 'A' || (q.type as string) === 'ANY';

export function soaRecord(zone: ClusterZone, ttl = DEFAULT_TTL): Answer {
  const d = zone.domain;
  return { name: d, type: 'SOA', ttl, data: { mname: `ns.dns.${d}`, rname: `hostmaster.${d}`, serial: zone.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl } };
}

export function resolveQuestion(q: Question, zone: ClusterZone, ttl = DEFAULT_TTL): Outcome {
  const owner = q.name.replace(/\.$/, '');
  const name = owner.toLowerCase();
  const d = zone.domain.toLowerCase();
  const soa = soaRecord(zone, ttl);
  const answer = (answers: Answer[], additionals: Answer[] = [], cname?: string): Outcome => ({
    kind: 'local',
    res: { rcode: 'NOERROR', answers, authorities: answers.length ? [] : [soa], additionals, ...(cname ? { cname } : {}) },
  });
  const nodata = (): Outcome => answer([]);
  const nxdomain: Outcome = { kind: 'local', res: { rcode: 'NXDOMAIN', answers: [], authorities: [soa], additionals: [] } };

  if (name.endsWith('.in-addr.arpa')) {
    const target = zone.ptrFor(name);
    if (!target) return { kind: 'forward' };
    return q.type === 'PTR' ? answer([{ name: owner, type: 'PTR', ttl, data: target }]) : nodata();
  }
  if (name !== d && !name.endsWith(`.${d}`)) return { kind: 'forward' };
  const rel = name === d ? [] : name.slice(0, -(d.length + 1)).split('.');
  const a = (ip: string, n = owner): Answer => ({ name: n, type: 'A', ttl, data: ip });

  // 1. the apex and the empty non-terminals svc, pod, <ns>.pod
  if (rel.length === 0) {
    if (q.type === 'SOA') return answer([soa]);
    if (q.type === 'NS') return answer([{ name: owner, type: 'NS', ttl, data: `ns.dns.${d}` }]);
    return nodata();
  }
  const top = rel[rel.length - 1];
  if (top === 'pod') {
    if (rel.length <= 2) return nodata();
    if (rel.length > 3) return nxdomain;
    const ip = rel[0]!.replace(/-/g, '.');
    if (!isIPv4(ip)) return nxdomain;
    return wantsA(q) ? answer([a(ip)]) : nodata();
  }
  if (top !== 'svc' || rel.length > 5) return nxdomain;
  if (rel.length === 1) return nodata();
  if (rel.length === 2) return zone.hasNamespace(rel[0]!) ? nodata() : nxdomain;

  // 2. a Service and the names below it
  const [svcName, ns] = rel.slice(-3, -1) as [string, string];
  const svc = zone.lookupService(ns, svcName);
  if (!svc) return nxdomain;
  const fqdn = `${svc.name}.${svc.namespace}.svc.${d}`;
  if (rel.length === 3) {
    if (svc.kind === 'ExternalName') {
      const rr: Answer = { name: owner, type: 'CNAME', ttl, data: svc.externalName! };
      return answer([rr], [], q.type === 'CNAME' ? undefined : svc.externalName);
    }
    if (wantsA(q)) return answer(addressesOf(svc).map((ip) => a(ip)));
    if (q.type === 'SRV') return srvAnswer(owner, svc, fqdn, () => true, ttl, answer);
    return nodata();
  }
  if (svc.kind === 'ExternalName') return nxdomain;
  if (rel.length === 4) {
    const label = rel[0]!;
    if (label.startsWith('_')) {
      // _tcp.<svc>...: an empty non-terminal when some port speaks that protocol
      return portsOf(svc).some((p) => `_${p.protocol}` === label) ? nodata() : nxdomain;
    }
    const ep = svc.kind === 'Headless' ? svc.endpoints.find((e) => e.label === label) : undefined;
    if (!ep) return nxdomain;
    return wantsA(q) ? answer([a(ep.ip)]) : nodata();
  }
  const [portLabel, protoLabel] = rel as [string, string];
  if (!portLabel.startsWith('_') || !protoLabel.startsWith('_')) return nxdomain;
  const match = (p: ZonePort): boolean => p.name !== '' && `_${p.name}` === portLabel && `_${p.protocol}` === protoLabel;
  if (!portsOf(svc).some(match)) return nxdomain;
  return q.type === 'SRV' ? srvAnswer(owner, svc, fqdn, match, ttl, answer) : nodata();
}

function addressesOf(svc: ZoneService): string[] {
  return svc.kind === 'ClusterIP' ? svc.clusterIps : svc.endpoints.map((e) => e.ip);
}

/** The ports a name can be built from: the Service's, or for headless the endpoints' (target ports). */
function portsOf(svc: ZoneService): ZonePort[] {
  return svc.kind === 'Headless' ? svc.endpoints.flatMap((e) => e.ports) : svc.ports;
}

function srvAnswer(owner: string, svc: ZoneService, fqdn: string, match: (p: ZonePort) => boolean, ttl: number, answer: (rr: Answer[], extra: Answer[]) => Outcome): Outcome {
  const targets: { target: string; ip: string; port: number }[] = [];
  if (svc.kind === 'ClusterIP') {
    for (const p of svc.ports.filter(match)) targets.push({ target: fqdn, ip: svc.clusterIps[0]!, port: p.port });
  } else {
    for (const e of svc.endpoints as ZoneEndpoint[]) for (const p of e.ports.filter(match)) targets.push({ target: `${e.label}.${fqdn}`, ip: e.ip, port: p.port });
  }
  // equal weights summing to about 100, as CoreDNS does
  const weight = targets.length ? Math.max(1, Math.floor(100 / targets.length)) : 0;
  const srv: SrvAnswer[] = targets.map((t) => ({ name: owner, type: 'SRV', ttl, data: { priority: 0, weight, port: t.port, target: t.target } }));
  const seen = new Set<string>();
  const extra: Answer[] = [];
  for (const t of targets) {
    if (seen.has(t.target)) continue;
    seen.add(t.target);
    extra.push({ name: t.target, type: 'A', ttl, data: t.ip });
  }
  return answer(srv, extra);
}
