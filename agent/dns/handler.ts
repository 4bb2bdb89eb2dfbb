// One DNS message in, one out: decode, answer cluster names from the zone, forward the rest,
// truncate for UDP. Never throws and never waits longer than the forwarder's deadline.
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, Packet, Question } from 'dns-packet';
import type { Logger } from '../../lib/logger.js';
import { resolveQuestion, type Resolution } from './resolver.js';
import type { ClusterZone } from './zone.js';

export type Transport = 'udp' | 'tcp';

/** Forwards a raw query; undefined when every upstream failed or timed out. */
export interface Upstream {
  forward(query: Buffer, transport: Transport): Promise<Buffer | undefined>;
}

export interface HandlerDeps {
  zone(): ClusterZone;
  /** false until the first full snapshot: cluster names then get SERVFAIL, not a wrong NXDOMAIN */
  synced(): boolean;
  /** undefined: names outside the cluster are REFUSED */
  upstream?: Upstream;
  log: Logger;
}

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
type RcodeName = keyof typeof RCODE;
const QR = 0x8000;
const MAX_CNAME_CHASE = 8;
const UDP_MIN = 512;
const UDP_MAX = 4096;
/** what we advertise back: the DNS-flag-day size that avoids IP fragmentation */
const OUR_UDP_SIZE = 1232;

type Opt = Extract<Answer, { type: 'OPT' }>;

function headerOnly(msg: Buffer, rcode: RcodeName): Buffer {
  const out = Buffer.alloc(12);
  msg.copy(out, 0, 0, 2);
  const opcode = msg.readUInt16BE(2) & 0x7800;
  out.writeUInt16BE(QR | opcode | RCODE[rcode], 2);
  return out;
}

function optOf(q: DecodedPacket): Opt | undefined {
  return (q.additionals ?? []).find((a): a is Opt => a.type === 'OPT');
}

export async function handleQuery(msg: Buffer, transport: Transport, deps: HandlerDeps): Promise<Buffer | undefined> {
  // 1. decode; garbage with a header gets FORMERR, anything shorter is dropped
  let q: DecodedPacket;
  try {
    q = packet.decode(msg);
  } catch {
    return msg.length >= 12 ? headerOnly(msg, 'FORMERR') : undefined;
  }
  if (q.flag_qr) return undefined;
  if (((q.flags ?? 0) & 0x7800) !== 0) return headerOnly(msg, 'NOTIMP');
  const question = q.questions?.[0];
  if (!question || q.questions!.length !== 1) return headerOnly(msg, 'FORMERR');
  const opt = optOf(q);
  const reply = (rcode: RcodeName, res?: Omit<Resolution, 'rcode'>, aa = false): Buffer =>
    encodeReply(q, question, rcode, res, aa, transport, opt, deps.upstream !== undefined);

  try {
    // 2. cluster names from the zone (ExternalName targets chased), the rest upstream
    const zone = deps.zone();
    const out = resolveQuestion(question, zone);
    if (out.kind === 'local') {
      if (!deps.synced()) return reply('SERVFAIL');
      const res = await chase(out.res, question, zone, deps);
      return reply(res.rcode, res, true);
    }
    if (!deps.upstream) return reply('REFUSED');
    const fwd = await deps.upstream.forward(msg, transport);
    if (!fwd) return reply('SERVFAIL');
    msg.copy(fwd, 0, 0, 2); // the client's id back
    return fwd;
  } catch (e) {
    deps.log.warn({ name: question.name, type: question.type, err: (e as Error).message }, 'dns query failed');
    return reply('SERVFAIL');
  }
}

/** An ExternalName answers its CNAME plus the target's records, from the zone or upstream. */
async function chase(res: Resolution, question: Question, zone: ClusterZone, deps: HandlerDeps): Promise<Resolution> {
  if (!res.cname) return res;
  let cur = res;
  const answers = [...res.answers];
  for (let i = 0; cur.cname && i < MAX_CNAME_CHASE; i++) {
    const next: Question = { name: cur.cname, type: question.type, class: 'IN' };
    const out = resolveQuestion(next, zone);
    if (out.kind === 'local') {
      cur = out.res;
      answers.push(...cur.answers);
      if (cur.rcode === 'NXDOMAIN') return { ...cur, answers };
      continue;
    }
    if (!deps.upstream) break;
    const query = packet.encode({ type: 'query', id: Math.floor(Math.random() * 0xffff), flags: packet.RECURSION_DESIRED, questions: [next] });
    const fwd = await deps.upstream.forward(query, 'udp');
    if (fwd) answers.push(...(packet.decode(fwd).answers ?? []));
    break;
  }
  return { rcode: 'NOERROR', answers, authorities: answers.length ? [] : res.authorities, additionals: res.additionals };
}

function encodeReply(q: DecodedPacket, question: Question, rcode: RcodeName, res: Omit<Resolution, 'rcode'> | undefined, aa: boolean, transport: Transport, opt: Opt | undefined, ra: boolean): Buffer {
  let flags = RCODE[rcode] | (q.flag_rd ? packet.RECURSION_DESIRED : 0) | (aa ? packet.AUTHORITATIVE_ANSWER : 0) | (ra ? packet.RECURSION_AVAILABLE : 0);
  const ourOpt: Answer[] = opt ? [{ type: 'OPT', name: '.', udpPayloadSize: OUR_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [];
  const p: Packet = {
    type: 'response',
    id: q.id,
    flags,
    questions: [question],
    answers: res?.answers ?? [],
    authorities: res?.authorities ?? [],
    additionals: [...(res?.additionals ?? []), ...ourOpt],
  };
  const full = packet.encode(p);
  const limit = opt ? Math.min(Math.max(opt.udpPayloadSize, UDP_MIN), UDP_MAX) : UDP_MIN;
  if (transport === 'tcp' || full.length <= limit) return full;
  // 3. too big for this UDP client: TC set and no records, so it retries over TCP
  flags |= packet.TRUNCATED_RESPONSE;
  return packet.encode({ ...p, flags, answers: [], authorities: [], additionals: ourOpt });
}
