// The node DNS for real: UDP and TCP listeners on 127.0.0.1 (random port), the zone fed by a
// DesiredStore, and fake upstream resolvers on loopback only (never a real outside resolver).
import { createSocket, type Socket } from 'node:dgram';
import * as packet from 'dns-packet';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DesiredStore } from '../../../agent/apiclient/desired-state.js';
import type { DesiredChange } from '../../../agent/apiclient/types.js';
import { startClusterDns, type ClusterDns } from '../../../agent/dns/cluster-dns.js';
import { listenDns, type DnsListener } from '../../../agent/dns/server.js';
import { ENDPOINTS, SERVICES, endpoints, service } from '../../unit/agent/dns/fixtures.js';
import { query, tcpAsk, udpAsk } from './dns-client.js';

const log = pino({ level: process.env.KINGLET_TEST_LOG ?? 'silent' });
const up = (kind: DesiredChange['kind'], object: DesiredChange['object']): DesiredChange => ({ kind, type: 'upsert', object });
const data = (r: { answers?: packet.Answer[] }): unknown[] => (r.answers ?? []).map((a) => (a as { data: unknown }).data);

/** A fake upstream resolver on loopback: answers every A question with 192.0.2.1 and counts. */
async function fakeUpstream(): Promise<DnsListener & { seen: string[] }> {
  const seen: string[] = [];
  const l = await listenDns({
    host: '127.0.0.1',
    port: 0,
    log,
    handle: async (msg, transport) => {
      const q = packet.decode(msg);
      seen.push(`${transport} ${q.questions![0]!.name}`);
      return packet.encode({ type: 'response', id: q.id, flags: packet.RECURSION_AVAILABLE, questions: q.questions, answers: [{ name: q.questions![0]!.name, type: 'A', ttl: 30, data: '192.0.2.1' }] });
    },
  });
  return Object.assign(l, { seen });
}

describe('cluster DNS server on loopback', () => {
  const store = new DesiredStore();
  let upstream: Awaited<ReturnType<typeof fakeUpstream>>;
  let silent: Socket;
  let dns: ClusterDns;
  let port: number;

  beforeAll(async () => {
    upstream = await fakeUpstream();
    // a resolver that swallows queries: the forwarder must give up, not hang
    silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    store.applySnapshot([...SERVICES.map((s) => up('Service', s)), ...ENDPOINTS.map((e) => up('Endpoints', e))], 1);
    dns = startClusterDns({ host: '127.0.0.1', port: 0, domain: 'cluster.local', source: store, upstreams: [{ host: '127.0.0.1', port: upstream.port }], log });
    port = (await dns.listening).port;
  });

  afterAll(async () => {
    await dns?.stop();
    await upstream?.close();
    silent?.close();
  });

  it('answers A over UDP and SRV over TCP from the Services and Endpoints', async () => {
    const a = await udpAsk(port, { name: 'web.default.svc.cluster.local', type: 'A' });
    expect(a).toMatchObject({ rcode: 'NOERROR', flag_aa: true });
    expect(data(a)).toEqual(['10.96.3.4']);
    const [srv] = await tcpAsk(port, [{ name: '_pg._tcp.db.team-a.svc.cluster.local', type: 'SRV' }]);
    expect(data(srv!).map((d) => (d as { target: string }).target)).toEqual(['db-0.db.team-a.svc.cluster.local', '10-244-2-9.db.team-a.svc.cluster.local']);
    expect(upstream.seen).toEqual([]);
  });

  it('answers NXDOMAIN for unknown cluster names without asking upstream, and AAAA with an empty NOERROR', async () => {
    const nx = await udpAsk(port, { name: 'example.com.default.svc.cluster.local', type: 'A' });
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.authorities?.map((x) => x.type)).toEqual(['SOA']);
    const aaaa = await udpAsk(port, { name: 'web.default.svc.cluster.local', type: 'AAAA' });
    expect(aaaa).toMatchObject({ rcode: 'NOERROR', answers: [] });
    expect(upstream.seen).toEqual([]);
  });

  it('follows Endpoints changes on the next query', async () => {
    store.applyDelta([up('Endpoints', endpoints('team-a', 'db', [{ addresses: [{ ip: '10.244.4.4', hostname: 'db-1' }], ports: [{ name: 'pg', port: 5433 }] }]))], 2);
    expect(data(await udpAsk(port, { name: 'db.team-a.svc.cluster.local', type: 'A' }))).toEqual(['10.244.4.4']);
    expect(data(await udpAsk(port, { name: 'db-1.db.team-a.svc.cluster.local', type: 'A' }))).toEqual(['10.244.4.4']);
    store.applyDelta([{ kind: 'Service', type: 'delete', object: service('default', 'web', {}) }], 3);
    expect((await udpAsk(port, { name: 'web.default.svc.cluster.local', type: 'A' })).rcode).toBe('NXDOMAIN');
  });

  it('forwards names outside the cluster to the upstream over the client transport', async () => {
    const u = await udpAsk(port, { name: 'example.test', type: 'A' });
    expect(data(u)).toEqual(['192.0.2.1']);
    const [t] = await tcpAsk(port, [{ name: 'other.example.test', type: 'A' }]);
    expect(data(t!)).toEqual(['192.0.2.1']);
    expect(upstream.seen).toEqual(['udp example.test', 'tcp other.example.test']);
  });

  it('truncates a big UDP answer and serves it whole over TCP, pipelined with another query', async () => {
    const addresses = Array.from({ length: 80 }, (_, i) => ({ ip: `10.244.8.${i + 1}` }));
    store.applyDelta([up('Service', service('default', 'many', { clusterIP: 'None' })), up('Endpoints', endpoints('default', 'many', [{ addresses }]))], 4);
    const q = { name: 'many.default.svc.cluster.local', type: 'A' as const };
    const udp = await udpAsk(port, q);
    expect(udp.flag_tc).toBe(true);
    const [full, other] = await tcpAsk(port, [q, { name: 'db.team-a.svc.cluster.local', type: 'A' }]);
    expect(full!.answers).toHaveLength(80);
    expect(data(other!)).toEqual(['10.244.4.4']);
  });

  it('answers SERVFAIL, not silence, when upstreams are unreachable or mute', async () => {
    const dead = createSocket('udp4');
    await new Promise<void>((r) => dead.bind(0, '127.0.0.1', () => r()));
    const closedPort = dead.address().port;
    dead.close(); // nothing listens there now: ICMP port unreachable
    const other = startClusterDns({ host: '127.0.0.1', port: 0, domain: 'cluster.local', source: store, upstreams: [{ host: '127.0.0.1', port: closedPort }, { host: '127.0.0.1', port: silent.address().port }], log });
    try {
      const p = (await other.listening).port;
      expect((await udpAsk(p, { name: 'example.test', type: 'A' })).rcode).toBe('SERVFAIL');
      const [t] = await tcpAsk(p, [{ name: 'example.test', type: 'A' }]);
      expect(t!.rcode).toBe('SERVFAIL');
      // cluster names still answer while upstreams are down
      expect(data(await udpAsk(p, { name: 'db.team-a.svc.cluster.local', type: 'A' }))).toEqual(['10.244.4.4']);
    } finally {
      await other.stop();
    }
  });

  it('answers REFUSED for outside names without upstreams, and keeps serving after garbage', async () => {
    const none = startClusterDns({ host: '127.0.0.1', port: 0, domain: 'cluster.local', source: store, upstreams: [], log });
    try {
      const p = (await none.listening).port;
      expect((await udpAsk(p, { name: 'example.test', type: 'A' })).rcode).toBe('REFUSED');
      const junk = Buffer.alloc(30, 0xee);
      expect((await udpAsk(p, junk)).rcode).toBe('FORMERR');
      expect((await udpAsk(p, query({ name: 'db.team-a.svc.cluster.local', type: 'A' }))).rcode).toBe('NOERROR');
    } finally {
      await none.stop();
    }
  });

  it('retries binding until the address is free', async () => {
    const second = startClusterDns({ host: '127.0.0.1', port, domain: 'cluster.local', source: store, upstreams: [], log, retryMs: 100 });
    let bound = false;
    void second.listening.then(() => (bound = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(bound).toBe(false);
    await dns.stop();
    const l = await second.listening;
    expect(l.port).toBe(port);
    expect(data(await udpAsk(port, { name: 'db.team-a.svc.cluster.local', type: 'A' }))).toEqual(['10.244.4.4']);
    dns = second;
  });
});
