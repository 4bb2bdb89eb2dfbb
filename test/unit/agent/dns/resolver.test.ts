import type { Question } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { resolveQuestion, type Resolution } from '../../../../agent/dns/resolver.js';
import { ClusterZone, reverseName } from '../../../../agent/dns/zone.js';
import { endpoints, service, zone } from './fixtures.js';

const Z = zone();

function local(name: string, type: Question['type'] = 'A', z = Z): Resolution {
  const out = resolveQuestion({ name, type }, z);
  if (out.kind !== 'local') throw new Error(`${name} was forwarded`);
  return out.res;
}
const data = (r: Resolution): unknown[] => r.answers.map((a) => (a as { data: unknown }).data);

describe('cluster resolver: Services', () => {
  it('answers a ClusterIP Service with its IP, case-insensitively, keeping the asked spelling', () => {
    const r = local('Web.Default.svc.cluster.local');
    expect(r.rcode).toBe('NOERROR');
    expect(r.answers).toEqual([{ name: 'Web.Default.svc.cluster.local', type: 'A', ttl: 5, data: '10.96.3.4' }]);
    expect(r.authorities).toEqual([]);
  });

  it('answers a headless Service with its ready endpoint IPs only', () => {
    expect(data(local('db.team-a.svc.cluster.local'))).toEqual(['10.244.1.7', '10.244.2.9']);
  });

  it('gives stable per-pod names under a headless Service: hostname, else the dashed IP', () => {
    expect(data(local('db-0.db.team-a.svc.cluster.local'))).toEqual(['10.244.1.7']);
    expect(data(local('10-244-2-9.db.team-a.svc.cluster.local'))).toEqual(['10.244.2.9']);
    expect(local('db-2.db.team-a.svc.cluster.local').rcode).toBe('NXDOMAIN'); // not ready
    expect(local('db-0.web.default.svc.cluster.local').rcode).toBe('NXDOMAIN'); // not headless
  });

  it('AAAA and other types of an existing name: NOERROR, no records, SOA for negative caching', () => {
    for (const type of ['AAAA', 'TXT', 'MX'] as const) {
      const r = local('web.default.svc.cluster.local', type);
      expect(r.rcode).toBe('NOERROR');
      expect(r.answers).toEqual([]);
      expect(r.authorities[0]).toMatchObject({ type: 'SOA', name: 'cluster.local', data: { mname: 'ns.dns.cluster.local', serial: 42, minimum: 5 } });
    }
    expect(local('db-0.db.team-a.svc.cluster.local', 'AAAA')).toMatchObject({ rcode: 'NOERROR', answers: [] });
  });

  it('a headless Service without ready endpoints exists but has no addresses', () => {
    expect(local('empty.team-a.svc.cluster.local')).toMatchObject({ rcode: 'NOERROR', answers: [] });
  });

  it('NXDOMAIN with the SOA for unknown Services, namespaces and deeper names', () => {
    for (const n of ['nope.default.svc.cluster.local', 'web.nope.svc.cluster.local', 'nope.svc.cluster.local', 'a.b.c.d.e.f.svc.cluster.local', 'x.cluster.local', 'pending.team-a.svc.cluster.local']) {
      const r = local(n);
      expect(r.rcode, n).toBe('NXDOMAIN');
      expect(r.authorities.map((a) => a.type), n).toEqual(['SOA']);
    }
  });

  it('empty non-terminals answer NOERROR: the apex, svc, a namespace with Services, pod', () => {
    for (const n of ['cluster.local', 'svc.cluster.local', 'team-a.svc.cluster.local', 'pod.cluster.local', 'team-a.pod.cluster.local', '_tcp.web.default.svc.cluster.local']) {
      expect(local(n).rcode, n).toBe('NOERROR');
    }
    expect(local('cluster.local', 'SOA').answers.map((a) => a.type)).toEqual(['SOA']);
    expect(local('_sctp.web.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });
});

describe('cluster resolver: search paths, SRV, pods, ExternalName, reverse', () => {
  it('search-path candidates of a pod in team-a resolve or fail locally, and the bare name is forwarded', () => {
    // `web.default` with search team-a.svc.cluster.local svc.cluster.local cluster.local
    expect(local('web.default.team-a.svc.cluster.local').rcode).toBe('NXDOMAIN');
    expect(data(local('web.default.svc.cluster.local'))).toEqual(['10.96.3.4']);
    // `example.com` (ndots:5): every candidate inside the domain is NXDOMAIN, never forwarded
    for (const n of ['example.com.team-a.svc.cluster.local', 'example.com.svc.cluster.local', 'example.com.cluster.local']) expect(local(n).rcode, n).toBe('NXDOMAIN');
    expect(resolveQuestion({ name: 'example.com', type: 'A' }, Z)).toEqual({ kind: 'forward' });
    expect(resolveQuestion({ name: 'notcluster.local', type: 'A' }, Z)).toEqual({ kind: 'forward' });
  });

  it('SRV of a named port on a ClusterIP Service: the Service port, target the Service, A as additional', () => {
    const r = local('_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(r.answers).toEqual([{ name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV', ttl: 5, data: { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' } }]);
    expect(r.additionals).toEqual([{ name: 'web.default.svc.cluster.local', type: 'A', ttl: 5, data: '10.96.3.4' }]);
    expect(data(local('_dns._udp.web.default.svc.cluster.local', 'SRV'))).toEqual([{ priority: 0, weight: 100, port: 53, target: 'web.default.svc.cluster.local' }]);
    expect(local('_dns._tcp.web.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
    expect(local('_http._tcp.web.default.svc.cluster.local', 'A')).toMatchObject({ rcode: 'NOERROR', answers: [] });
    // SRV on the Service name itself lists every port, named or not
    expect(data(local('web.default.svc.cluster.local', 'SRV')).map((d) => (d as { port: number }).port)).toEqual([80, 53, 9000]);
  });

  it('SRV of a headless Service: one record per ready endpoint, its target port, per-pod targets', () => {
    const r = local('_pg._tcp.db.team-a.svc.cluster.local', 'SRV');
    expect(data(r)).toEqual([
      { priority: 0, weight: 50, port: 5433, target: 'db-0.db.team-a.svc.cluster.local' },
      { priority: 0, weight: 50, port: 5433, target: '10-244-2-9.db.team-a.svc.cluster.local' },
    ]);
    expect(r.additionals.map((a) => [a.name, (a as { data: string }).data])).toEqual([
      ['db-0.db.team-a.svc.cluster.local', '10.244.1.7'],
      ['10-244-2-9.db.team-a.svc.cluster.local', '10.244.2.9'],
    ]);
  });

  it('pod A records come from the name (a-b-c-d.ns.pod); malformed ones are NXDOMAIN', () => {
    expect(data(local('10-244-1-5.default.pod.cluster.local'))).toEqual(['10.244.1.5']);
    expect(local('10-244-1-5.default.pod.cluster.local', 'AAAA')).toMatchObject({ rcode: 'NOERROR', answers: [] });
    for (const n of ['10-244-1.default.pod.cluster.local', '10-244-1-999.default.pod.cluster.local', 'x.10-244-1-5.default.pod.cluster.local']) expect(local(n).rcode, n).toBe('NXDOMAIN');
  });

  it('ExternalName: a CNAME, and the target to chase unless CNAME itself was asked', () => {
    const r = local('outside.team-a.svc.cluster.local');
    expect(r.answers).toEqual([{ name: 'outside.team-a.svc.cluster.local', type: 'CNAME', ttl: 5, data: 'backend.corp.example' }]);
    expect(r.cname).toBe('backend.corp.example');
    expect(local('ext.team-a.svc.cluster.local', 'CNAME').cname).toBeUndefined();
    expect(local('x.ext.team-a.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('PTR for ClusterIPs and headless endpoints; other reverse names are forwarded', () => {
    expect(data(local(reverseName('10.96.3.4'), 'PTR'))).toEqual(['web.default.svc.cluster.local']);
    expect(data(local('7.1.244.10.in-addr.arpa', 'PTR'))).toEqual(['db-0.db.team-a.svc.cluster.local']);
    expect(resolveQuestion({ name: '1.1.168.192.in-addr.arpa', type: 'PTR' }, Z)).toEqual({ kind: 'forward' });
  });

  it('follows the data: a changed Endpoints object gives a new zone with new answers', () => {
    const z2 = new ClusterZone({ services: [service('team-a', 'db', { clusterIP: 'None' })], endpoints: [endpoints('team-a', 'db', [{ addresses: [{ ip: '10.244.9.9' }] }])] }, 'cluster.local');
    expect(data(local('db.team-a.svc.cluster.local', 'A', z2))).toEqual(['10.244.9.9']);
    expect(local('web.default.svc.cluster.local', 'A', z2).rcode).toBe('NXDOMAIN');
  });

  it('deltas patch the zone in place: endpoints, deletes, vanished namespaces, a growing serial', () => {
    const z = zone();
    z.apply([{ kind: 'Endpoints', type: 'upsert', object: endpoints('team-a', 'db', [{ addresses: [{ ip: '10.244.6.6', hostname: 'db-9' }] }]) }]);
    expect(data(local('db.team-a.svc.cluster.local', 'A', z))).toEqual(['10.244.6.6']);
    expect(data(local(reverseName('10.244.6.6'), 'PTR', z))).toEqual(['db-9.db.team-a.svc.cluster.local']);
    z.apply([{ kind: 'Service', type: 'delete', object: service('default', 'web', {}) }]);
    expect(local('web.default.svc.cluster.local', 'A', z).rcode).toBe('NXDOMAIN');
    expect(local('default.svc.cluster.local', 'A', z).rcode).toBe('NXDOMAIN'); // its only Service is gone
    expect(resolveQuestion({ name: reverseName('10.96.3.4'), type: 'PTR' }, z)).toEqual({ kind: 'forward' });
    z.apply([{ kind: 'Service', type: 'upsert', object: service('default', 'web', { clusterIP: '10.96.3.5' }) }]);
    expect(data(local('web.default.svc.cluster.local', 'A', z))).toEqual(['10.96.3.5']);
    expect(z.serial).toBe(45);
  });

  it('serves another cluster domain', () => {
    const z3 = new ClusterZone({ services: [service('default', 'web', { clusterIP: '10.96.3.4' })], endpoints: [] }, 'k.test');
    expect(data(local('web.default.svc.k.test', 'A', z3))).toEqual(['10.96.3.4']);
    expect(resolveQuestion({ name: 'web.default.svc.cluster.local', type: 'A' }, z3)).toEqual({ kind: 'forward' });
  });
});
