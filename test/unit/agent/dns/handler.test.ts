import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, Question } from 'dns-packet';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { handleQuery, type HandlerDeps, type Transport, type Upstream } from '../../../../agent/dns/handler.js';
import { ClusterZone } from '../../../../agent/dns/zone.js';
import { endpoints, service, zone } from './fixtures.js';

const log = pino({ level: 'silent' });

/** Records forwarded questions; answers with `answer`, or fails (undefined) when it is null. */
class FakeUpstream implements Upstream {
  calls: string[] = [];
  constructor(private readonly answer: ((q: DecodedPacket) => Answer[]) | null) {}
  async forward(query: Buffer, transport: Transport): Promise<Buffer | undefined> {
    const q = packet.decode(query);
    this.calls.push(`${transport} ${q.questions![0]!.name} ${q.questions![0]!.type}`);
    if (!this.answer) return undefined;
    return packet.encode({ type: 'response', id: q.id, flags: packet.RECURSION_AVAILABLE, questions: q.questions, answers: this.answer(q) });
  }
}

function deps(extra: Partial<HandlerDeps> = {}): HandlerDeps {
  const z = zone();
  return { zone: () => z, synced: () => true, log, ...extra };
}

async function ask(q: Question, d: HandlerDeps, transport: Transport = 'udp', edns?: number): Promise<DecodedPacket & { rcode?: string }> {
  const additionals: Answer[] = edns ? [{ type: 'OPT', name: '.', udpPayloadSize: edns, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [];
  const msg = packet.encode({ type: 'query', id: 4321, flags: packet.RECURSION_DESIRED, questions: [q], additionals });
  const out = await handleQuery(msg, transport, d);
  if (!out) throw new Error('no reply');
  return packet.decode(out) as DecodedPacket & { rcode?: string };
}

describe('DNS message handling', () => {
  it('answers cluster names authoritatively with the client id, RD echoed and RA when forwarding exists', async () => {
    const r = await ask({ name: 'web.default.svc.cluster.local', type: 'A' }, deps({ upstream: new FakeUpstream(null) }));
    expect(r).toMatchObject({ id: 4321, type: 'response', flag_aa: true, flag_rd: true, flag_ra: true, rcode: 'NOERROR' });
    expect(r.answers).toMatchObject([{ type: 'A', data: '10.96.3.4' }]);
    const nx = await ask({ name: 'nope.default.svc.cluster.local', type: 'A' }, deps());
    expect(nx).toMatchObject({ rcode: 'NXDOMAIN', flag_ra: false });
    expect(nx.authorities?.map((a) => a.type)).toEqual(['SOA']);
  });

  it('forwards outside names over the client transport and returns the upstream answer under the client id', async () => {
    const up = new FakeUpstream(() => [{ name: 'example.test', type: 'A', ttl: 60, data: '192.0.2.7' }]);
    const r = await ask({ name: 'example.test', type: 'A' }, deps({ upstream: up }), 'tcp');
    expect(up.calls).toEqual(['tcp example.test A']);
    expect(r.id).toBe(4321);
    expect(r.answers).toMatchObject([{ data: '192.0.2.7' }]);
  });

  it('REFUSED without upstreams, SERVFAIL when the upstream fails, SERVFAIL for cluster names before the first snapshot', async () => {
    expect((await ask({ name: 'example.test', type: 'A' }, deps())).rcode).toBe('REFUSED');
    expect((await ask({ name: 'example.test', type: 'A' }, deps({ upstream: new FakeUpstream(null) }))).rcode).toBe('SERVFAIL');
    const unsynced = deps({ synced: () => false, upstream: new FakeUpstream(() => []) });
    expect((await ask({ name: 'nope.default.svc.cluster.local', type: 'A' }, unsynced)).rcode).toBe('SERVFAIL');
    expect((await ask({ name: 'example.test', type: 'A' }, unsynced)).rcode).toBe('NOERROR');
  });

  it('ExternalName: CNAME plus the target, from the zone or from upstream', async () => {
    const inZone = await ask({ name: 'ext.team-a.svc.cluster.local', type: 'A' }, deps());
    expect(inZone.answers?.map((a) => [a.type, (a as { data: string }).data])).toEqual([
      ['CNAME', 'db.team-a.svc.cluster.local'],
      ['A', '10.244.1.7'],
      ['A', '10.244.2.9'],
    ]);
    const up = new FakeUpstream(() => [{ name: 'backend.corp.example', type: 'A', ttl: 30, data: '192.0.2.9' }]);
    const outside = await ask({ name: 'outside.team-a.svc.cluster.local', type: 'A' }, deps({ upstream: up }));
    expect(up.calls).toEqual(['udp backend.corp.example A']);
    expect(outside.answers?.map((a) => (a as { data: string }).data)).toEqual(['backend.corp.example', '192.0.2.9']);
    // upstream down: the CNAME alone, not an error
    expect((await ask({ name: 'outside.team-a.svc.cluster.local', type: 'A' }, deps())).answers?.map((a) => a.type)).toEqual(['CNAME']);
  });

  it('truncates a UDP answer over 512 bytes (or the EDNS size) so the client retries over TCP', async () => {
    const addresses = Array.from({ length: 60 }, (_, i) => ({ ip: `10.244.7.${i + 1}` }));
    const big = new ClusterZone({ services: [service('default', 'many', { clusterIP: 'None' })], endpoints: [endpoints('default', 'many', [{ addresses }])] }, 'cluster.local');
    const d = deps({ zone: () => big });
    const q: Question = { name: 'many.default.svc.cluster.local', type: 'A' };
    const udp = await ask(q, d);
    expect(udp.flag_tc).toBe(true);
    expect(udp.answers).toEqual([]);
    expect((await ask(q, d, 'tcp')).answers).toHaveLength(60);
    const edns = await ask(q, d, 'udp', 4096);
    expect(edns.flag_tc).toBe(false);
    expect(edns.answers).toHaveLength(60);
    expect(edns.additionals?.map((a) => a.type)).toEqual(['OPT']);
  });

  it('FORMERR for garbage with a header and for several questions; NOTIMP for other opcodes; short junk dropped', async () => {
    const junk = Buffer.alloc(20, 0xff);
    junk.writeUInt16BE(0x0102, 0);
    junk.writeUInt16BE(0x0100, 2);
    const fe = await handleQuery(junk, 'udp', deps());
    expect(fe!.readUInt16BE(0)).toBe(0x0102);
    expect(fe!.readUInt16BE(2) & 0x800f).toBe(0x8001);
    expect(await handleQuery(Buffer.from([1, 2, 3]), 'udp', deps())).toBeUndefined();
    const two = packet.encode({ type: 'query', id: 9, questions: [{ name: 'a.cluster.local', type: 'A' }, { name: 'b.cluster.local', type: 'A' }] });
    expect((packet.decode((await handleQuery(two, 'udp', deps()))!) as { rcode?: string }).rcode).toBe('FORMERR');
    const update = packet.encode({ type: 'query', id: 9, flags: 5 << 11, questions: [{ name: 'cluster.local', type: 'SOA' }] });
    expect((packet.decode((await handleQuery(update, 'udp', deps()))!) as { rcode?: string }).rcode).toBe('NOTIMP');
    const response = packet.encode({ type: 'response', id: 9, questions: [{ name: 'cluster.local', type: 'SOA' }] });
    expect(await handleQuery(response, 'udp', deps())).toBeUndefined();
  });
});
