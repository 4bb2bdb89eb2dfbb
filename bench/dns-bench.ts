// Cluster DNS benchmark, loopback only: query latency through the real UDP server (ClusterIP,
// headless, a search-path NXDOMAIN, a forward to a loopback fake upstream) beside the floor measured
// in the same run (a bare UDP echo on loopback: Node's datagram round trip), burst throughput with
// 64 queries in flight, and the cost of the first query after an Endpoints change with 5,000
// Services (the lazy zone rebuild). Needs no Docker and sends nothing off the machine.
import { createSocket, type Socket } from 'node:dgram';
import { join } from 'node:path';
import * as packet from 'dns-packet';
import { pino } from 'pino';
import { DesiredStore } from '../agent/apiclient/desired-state.js';
import type { DesiredChange } from '../agent/apiclient/types.js';
import { startClusterDns } from '../agent/dns/cluster-dns.js';
import { listenDns } from '../agent/dns/server.js';
import { check, writeReport } from './lib/report.js';
import { repoRoot } from './lib/server-process.js';
import { summarize, type Summary } from './lib/stats.js';

const log = pino({ level: 'silent' });
const N = Number(process.env.BENCH_DNS_QUERIES ?? 2000);

function snapshot(services: number, headless: number): DesiredChange[] {
  const out: DesiredChange[] = [];
  for (let i = 0; i < services; i++) {
    out.push({ kind: 'Service', type: 'upsert', object: { metadata: { namespace: `ns${i % 20}`, name: `svc${i}` }, spec: { clusterIP: `10.96.${(i >> 8) & 255}.${i & 255}`, ports: [{ name: 'http', port: 80 }] } } });
  }
  for (let i = 0; i < headless; i++) {
    out.push({ kind: 'Service', type: 'upsert', object: { metadata: { namespace: 'hl', name: `db${i}` }, spec: { clusterIP: 'None' } } });
    out.push({ kind: 'Endpoints', type: 'upsert', object: { metadata: { namespace: 'hl', name: `db${i}` }, subsets: [{ addresses: Array.from({ length: 10 }, (_, j) => ({ ip: `10.244.${i}.${j + 1}` })), ports: [{ name: 'pg', port: 5432 }] }] } });
  }
  return out;
}

/** One client socket, sequential queries: the latency of each round trip in ms. */
async function sequential(port: number, make: (i: number) => Buffer, n: number): Promise<{ s: Summary & { errors: number }; samples: number[] }> {
  const sock = createSocket('udp4');
  const samples: number[] = [];
  let errors = 0;
  for (let i = 0; i < n; i++) {
    const msg = make(i);
    const t0 = performance.now();
    const ok = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 2000);
      sock.once('message', () => {
        clearTimeout(t);
        resolve(true);
      });
      sock.send(msg, port, '127.0.0.1');
    });
    if (ok) samples.push(performance.now() - t0);
    else errors++;
  }
  sock.close();
  return { s: { ...summarize(samples), errors }, samples };
}

/** queries per second with `inFlight` outstanding on one socket for `ms` */
async function burst(port: number, make: (i: number) => Buffer, inFlight: number, ms: number): Promise<number> {
  const sock = createSocket('udp4');
  let done = 0;
  let i = 0;
  const end = performance.now() + ms;
  await new Promise<void>((resolve) => {
    sock.on('message', () => {
      done++;
      if (performance.now() < end) sock.send(make(i++), port, '127.0.0.1');
      else if (done >= i) resolve();
    });
    for (let k = 0; k < inFlight; k++) sock.send(make(i++), port, '127.0.0.1');
    setTimeout(resolve, ms + 2000);
  });
  sock.close();
  return Math.round(done / (ms / 1000));
}

const q = (name: string, id: number): Buffer => packet.encode({ type: 'query', id: id & 0xffff, flags: packet.RECURSION_DESIRED, questions: [{ name, type: 'A' }] });

export async function runDnsBench(): Promise<void> {
  // 1. the floor: a bare UDP echo on loopback
  const echo: Socket = createSocket('udp4');
  echo.on('message', (m, r) => echo.send(m, r.port, r.address));
  await new Promise<void>((r) => echo.bind(0, '127.0.0.1', () => r()));
  const upstream = await listenDns({
    host: '127.0.0.1',
    port: 0,
    log,
    handle: async (m) => {
      const d = packet.decode(m);
      return packet.encode({ type: 'response', id: d.id, questions: d.questions, answers: [{ name: d.questions![0]!.name, type: 'A', ttl: 30, data: '192.0.2.1' }] });
    },
  });
  // 2. the server with 1,000 ClusterIP + 100 headless × 10 endpoints
  const store = new DesiredStore();
  store.applySnapshot(snapshot(1000, 100), 1);
  const dns = startClusterDns({ host: '127.0.0.1', port: 0, domain: 'cluster.local', source: store, upstreams: [{ host: '127.0.0.1', port: upstream.port }], log });
  const port = (await dns.listening).port;
  const ops: Record<string, Summary & { errors: number }> = {};
  ops['floor: udp echo'] = (await sequential(echo.address().port, (i) => q('x.example', i), N)).s;
  ops['clusterip A'] = (await sequential(port, (i) => q(`svc${i % 1000}.ns${i % 20}.svc.cluster.local`, i), N)).s;
  ops['headless A (10 ips)'] = (await sequential(port, (i) => q(`db${i % 100}.hl.svc.cluster.local`, i), N)).s;
  ops['search-path NXDOMAIN'] = (await sequential(port, (i) => q(`svc${i % 1000}.ns0.ns${i % 20}.svc.cluster.local`, i), N)).s;
  ops['forwarded A (loopback upstream)'] = (await sequential(port, (i) => q(`host${i}.example.test`, i), N)).s;
  const qpsFloor = await burst(echo.address().port, (i) => q('x.example', i), 64, 3000);
  const qps = await burst(port, (i) => q(`svc${i % 1000}.ns${i % 20}.svc.cluster.local`, i), 64, 3000);
  await dns.stop();

  // 3. first query after an Endpoints change, 5,000 Services: the lazy rebuild plus one answer
  const big = new DesiredStore();
  big.applySnapshot(snapshot(5000, 100), 1);
  const dns5k = startClusterDns({ host: '127.0.0.1', port: 0, domain: 'cluster.local', source: big, upstreams: [], log });
  const port5k = (await dns5k.listening).port;
  const after: number[] = [];
  for (let k = 0; k < 50; k++) {
    big.applyDelta([{ kind: 'Endpoints', type: 'upsert', object: { metadata: { namespace: 'hl', name: 'db0' }, subsets: [{ addresses: [{ ip: `10.244.200.${k + 1}` }] }] } }], k + 2);
    after.push(...(await sequential(port5k, (i) => q('db0.hl.svc.cluster.local', i + k), 1)).samples);
  }
  ops['first query after change (5k svcs)'] = { ...summarize(after), errors: 50 - after.length };
  await dns5k.stop();
  await upstream.close();
  echo.close();

  const floor = ops['floor: udp echo']!.p50;
  const ratios = Object.fromEntries(Object.entries(ops).map(([k, s]) => [k, Math.round((s.p50 / floor) * 100) / 100]));
  // p50-based: on a shared 2-core machine the p99 of the floor itself is scheduling noise
  const checks = [
    check('clusterip A p50 / floor p50', ratios['clusterip A']!, 3, 'x'),
    check('first query after an Endpoints change, 5k Services, p50', ops['first query after change (5k svcs)']!.p50, 20, 'ms'),
  ];
  const result = { ops, ratiosToFloorP50: ratios, qps: { floor: qpsFloor, clusterIp: qps, ratio: Math.round((qps / qpsFloor) * 100) / 100 }, checks };
  const dir = process.env.BENCH_OUT ?? join(repoRoot(), 'bench', 'results');
  writeReport(dir, 'dns', result, [
    '# Cluster DNS (loopback, UDP)',
    '',
    `${N} sequential queries per row; floor = bare UDP echo on loopback in the same run.`,
    `p50 ratio to the floor: ${Object.entries(ratios).map(([k, r]) => `${k} ${r}`).join('; ')}.`,
    `Burst, 64 in flight for 3 s: ${qps} q/s vs echo floor ${qpsFloor} q/s (ratio ${result.qps.ratio}).`,
  ]);
  console.log(JSON.stringify({ dns: { p50: Object.fromEntries(Object.entries(ops).map(([k, s]) => [k, s.p50])), qps: result.qps, checks } }));
}
