// Forwarding of names outside the cluster to the node's resolvers (its /etc/resolv.conf), over the
// transport the client used. Each attempt has a short timeout and the whole forward a deadline, so
// a dead or unreachable upstream costs the client one SERVFAIL, never a hang.
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import type { Transport, Upstream } from './handler.js';

export interface UpstreamServer {
  host: string;
  port: number;
}

export interface ForwarderOptions {
  servers: UpstreamServer[];
  /** one server's chance (default 1 s) */
  attemptMs?: number;
  /** all servers together (default 2 s: well under the 5 s a stub resolver waits) */
  deadlineMs?: number;
  /** forwards in flight beyond this fail at once (bounded memory under a query flood) */
  maxInFlight?: number;
}

/** "IP", "IP:PORT" or "[IPv6]:PORT" → server (port 53 by default); throws on anything else. */
export function parseUpstream(text: string, what = 'DNS upstream', minPort = 1): UpstreamServer {
  const m = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text) ?? /^([0-9.]+)(?::(\d+))?$/.exec(text) ?? /^([0-9a-fA-F:]+)()$/.exec(text);
  const port = m?.[2] ? Number(m[2]) : 53;
  if (!m || port < minPort || port > 65535) throw new Error(`invalid ${what} "${text}": want IP or IP:PORT`);
  return { host: m[1]!, port };
}

export class UpstreamForwarder implements Upstream {
  private inFlight = 0;
  constructor(private readonly opts: ForwarderOptions) {}

  get servers(): UpstreamServer[] {
    return this.opts.servers;
  }

  async forward(query: Buffer, transport: Transport): Promise<Buffer | undefined> {
    if (!this.opts.servers.length || this.inFlight >= (this.opts.maxInFlight ?? 512)) return undefined;
    this.inFlight++;
    try {
      const end = Date.now() + (this.opts.deadlineMs ?? 2000);
      for (const s of this.opts.servers) {
        const left = end - Date.now();
        if (left <= 0) break;
        const ms = Math.min(this.opts.attemptMs ?? 1000, left);
        // a fresh id per attempt: a late answer to an earlier attempt is never taken for this one
        const q = Buffer.from(query);
        const id = randomInt(0, 0x10000);
        q.writeUInt16BE(id, 0);
        const r = await (transport === 'tcp' ? tcpExchange(s, q, ms) : udpExchange(s, q, ms)).catch(() => undefined);
        if (r && r.length >= 12 && r.readUInt16BE(0) === id && (r[2]! & 0x80) !== 0) return r;
      }
      return undefined;
    } finally {
      this.inFlight--;
    }
  }
}

function udpExchange(s: UpstreamServer, q: Buffer, ms: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIPv6(s.host) ? 'udp6' : 'udp4');
    let finished = false;
    const done = (err?: Error, msg?: Buffer): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(msg!);
    };
    const timer = setTimeout(() => done(new Error('timeout')), ms);
    // connected: only the server's datagrams arrive, and ICMP unreachable surfaces as an error
    sock.on('error', (e) => done(e));
    sock.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === q.readUInt16BE(0)) done(undefined, msg);
    });
    sock.connect(s.port, s.host, () => sock.send(q, (e) => e && done(e)));
  });
}

function tcpExchange(s: UpstreamServer, q: Buffer, ms: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: s.host, port: s.port });
    let buf = Buffer.alloc(0);
    let finished = false;
    const done = (err?: Error, msg?: Buffer): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(msg!);
    };
    const timer = setTimeout(() => done(new Error('timeout')), ms);
    sock.on('error', (e) => done(e));
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(q.length);
      sock.write(Buffer.concat([len, q]));
    });
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(undefined, buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
    sock.on('end', () => done(new Error('closed before a full answer')));
  });
}
