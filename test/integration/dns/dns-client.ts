// A minimal DNS client over UDP and TCP for the DNS tests (loopback only).
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as packet from 'dns-packet';
import type { DecodedPacket, Question } from 'dns-packet';

export type Reply = DecodedPacket & { rcode?: string };
let nextId = 1;

export function query(q: Question, extra: Partial<packet.Packet> = {}): Buffer {
  return packet.encode({ type: 'query', id: nextId++ & 0xffff, flags: packet.RECURSION_DESIRED, questions: [q], ...extra });
}

export function udpAsk(port: number, q: Question | Buffer, timeoutMs = 4000, host = '127.0.0.1'): Promise<Reply> {
  const msg = Buffer.isBuffer(q) ? q : query(q);
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const t = setTimeout(() => {
      s.close();
      reject(new Error(`no UDP answer within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on('message', (m) => {
      clearTimeout(t);
      s.close();
      resolve(packet.decode(m) as Reply);
    });
    s.send(msg, port, host);
  });
}

/** Sends all queries on one connection (pipelined) and collects as many answers. */
export function tcpAsk(port: number, qs: (Question | Buffer)[], timeoutMs = 4000, host = '127.0.0.1'): Promise<Reply[]> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    const out: Reply[] = [];
    let buf = Buffer.alloc(0);
    const t = setTimeout(() => {
      sock.destroy();
      reject(new Error(`got ${out.length}/${qs.length} TCP answers within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on('error', reject);
    sock.on('connect', () => {
      const frames = qs.map((q) => {
        const m = Buffer.isBuffer(q) ? q : query(q);
        const len = Buffer.alloc(2);
        len.writeUInt16BE(m.length);
        return Buffer.concat([len, m]);
      });
      sock.write(Buffer.concat(frames));
    });
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(packet.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))) as Reply);
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (out.length === qs.length) {
        clearTimeout(t);
        sock.destroy();
        resolve(out);
      }
    });
  });
}
