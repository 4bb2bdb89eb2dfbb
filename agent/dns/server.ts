// The DNS listeners: UDP and TCP (RFC 7766: length-prefixed, pipelined, idle timeout) on one
// address and port. Transport only; every message goes to the handler.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket as TcpSocket } from 'node:net';
import type { Logger } from '../../lib/logger.js';
import type { Transport } from './handler.js';

export interface DnsListenOptions {
  host: string;
  /** 0: a free port (the same for UDP and TCP) */
  port: number;
  handle(msg: Buffer, transport: Transport): Promise<Buffer | undefined>;
  log: Logger;
  tcpIdleMs?: number;
  maxTcpConnections?: number;
}

export interface DnsListener {
  host: string;
  port: number;
  close(): Promise<void>;
}

function bindUdp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
    sock.once('error', reject);
    sock.bind({ address: host, port, exclusive: true }, () => {
      sock.off('error', reject);
      resolve(sock);
    });
  });
}

function listenTcp(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function serveTcp(conn: TcpSocket, opts: DnsListenOptions): void {
  let buf = Buffer.alloc(0);
  conn.setTimeout(opts.tcpIdleMs ?? 10_000, () => conn.destroy());
  conn.on('error', () => conn.destroy());
  conn.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
      buf = buf.subarray(2 + msg.length);
      void opts.handle(Buffer.from(msg), 'tcp').catch(() => undefined).then((out) => {
        if (!out || conn.destroyed) return;
        const len = Buffer.alloc(2);
        len.writeUInt16BE(out.length);
        conn.write(Buffer.concat([len, out]));
      });
    }
  });
}

/** Bind UDP then TCP on the same port; with port 0 a few tries find a port free for both. */
export async function listenDns(opts: DnsListenOptions): Promise<DnsListener> {
  for (let attempt = 0; ; attempt++) {
    const udp = await bindUdp(opts.host, opts.port);
    const port = udp.address().port;
    const tcp = createServer((c) => serveTcp(c, opts));
    tcp.maxConnections = opts.maxTcpConnections ?? 256;
    try {
      await listenTcp(tcp, opts.host, port);
    } catch (e) {
      udp.close();
      if (opts.port === 0 && attempt < 5 && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
      throw e;
    }
    udp.on('message', (msg, rinfo) => {
      void opts.handle(msg, 'udp').catch(() => undefined).then((out) => {
        if (out) udp.send(out, rinfo.port, rinfo.address, (e) => e && opts.log.debug({ err: e.message }, 'dns udp send failed'));
      });
    });
    udp.on('error', (e) => opts.log.warn({ err: e.message }, 'dns udp socket error'));
    const conns = new Set<TcpSocket>();
    tcp.on('connection', (c) => {
      conns.add(c);
      c.on('close', () => conns.delete(c));
    });
    return {
      host: opts.host,
      port,
      close: async () => {
        udp.close();
        for (const c of conns) c.destroy();
        await new Promise<void>((r) => tcp.close(() => r()));
      },
    };
  }
}
