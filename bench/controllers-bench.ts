// Controller throughput: how fast a 1,000-replica ReplicaSet gets its pods created (and bound by
// the scheduler) on simulated nodes (Nodes registered through the API, no agents). Baseline in the
// same run: the same number of pods POSTed directly by a client with 32 requests in flight.
// Settings: BENCH_RS_REPLICAS (default 1000), BENCH_RS_NODES (default 10).
import os from 'node:os';
import { join } from 'node:path';
import { Client } from './lib/https-client.js';
import { bulk } from './lib/pacer.js';
import { writeReport, type TargetCheck } from './lib/report.js';
import { memoryOf, repoRoot, startServer } from './lib/server-process.js';
import { summarize, type Summary } from './lib/stats.js';

const envInt = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : dflt;
};
const round = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function node(name: string, pods: number) {
  const t = stamp();
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: {
      capacity: { cpu: '64', memory: '256Gi', pods: String(pods) },
      allocatable: { cpu: '64', memory: '256Gi', pods: String(pods) },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: t, lastTransitionTime: t }],
    },
  };
}

const podSpec = { containers: [{ name: 'c', image: 'kinglet-test/busybox:1', resources: { requests: { cpu: '10m', memory: '8Mi' } } }] };

interface Timeline {
  added: number[];
  bound: number[];
}

/** Times (ms since t0) of each pod's ADDED and of its binding, from one watch on the namespace. */
async function watchNamespace(c: Client, ns: string, t0: () => number): Promise<{ tl: Timeline; close: () => void }> {
  const tl: Timeline = { added: [], bound: [] };
  const seen = new Set<string>();
  const bound = new Set<string>();
  const close = await c.watch(`/api/v1/namespaces/${ns}/pods?watch=true`, (type, obj: any) => {
    const name = obj.metadata?.name as string;
    if (type === 'ADDED' && !seen.has(name)) (seen.add(name), tl.added.push(performance.now() - t0()));
    if (obj.spec?.nodeName && !bound.has(name)) (bound.add(name), tl.bound.push(performance.now() - t0()));
  });
  return { tl, close };
}

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export async function runControllersBench(): Promise<void> {
  const replicas = envInt('BENCH_RS_REPLICAS', 1000);
  const nodes = envInt('BENCH_RS_NODES', 10);
  const log = (msg: string) => process.stderr.write(`[bench controllers] ${msg}\n`);
  const srv = await startServer();
  const c = new Client(srv, 64);
  let beat: ReturnType<typeof setInterval> | undefined;
  try {
    // 1: simulated nodes with room for both runs, kept alive by heartbeats
    const perNode = Math.ceil((2 * replicas) / nodes) + 10;
    for (let i = 0; i < nodes; i++) await c.request('POST', '/api/v1/nodes', node(`sim-${i}`, perNode));
    beat = setInterval(() => {
      for (let i = 0; i < nodes; i++) void c.request('PUT', `/api/v1/nodes/sim-${i}/status`, node(`sim-${i}`, perNode)).catch(() => undefined);
    }, 10_000);
    for (const ns of ['bench-direct', 'bench-rs']) await c.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });

    // 2: baseline — a client POSTs the pods itself
    let t0 = 0;
    const direct = await watchNamespace(c, 'bench-direct', () => t0);
    const postMs: number[] = [];
    t0 = performance.now();
    const failures = await bulk(replicas, 32, async (i) => {
      const s = performance.now();
      const r = await c.request('POST', '/api/v1/namespaces/bench-direct/pods', { metadata: { name: `p-${i}`, labels: { app: 'direct' } }, spec: podSpec });
      postMs.push(performance.now() - s);
      if (r.status !== 201) throw new Error(`POST ${r.status}`);
    });
    await until('direct pods seen', () => direct.tl.added.length >= replicas - failures, 120_000);
    await until('direct pods bound', () => direct.tl.bound.length >= replicas - failures, 120_000);
    direct.close();
    const directCreateMs = Math.max(...direct.tl.added);
    const directBindMs = Math.max(...direct.tl.bound);
    log(`direct: ${replicas} pods created in ${round(directCreateMs)} ms, bound in ${round(directBindMs)} ms (${failures} failures)`);

    // 3: the ReplicaSet controller
    let t1 = 0;
    const viaRs = await watchNamespace(c, 'bench-rs', () => t1);
    t1 = performance.now();
    const r = await c.request('POST', '/apis/apps/v1/namespaces/bench-rs/replicasets', {
      metadata: { name: 'big' },
      spec: { replicas, selector: { matchLabels: { app: 'big' } }, template: { metadata: { labels: { app: 'big' } }, spec: podSpec } },
    });
    if (r.status !== 201) throw new Error(`create ReplicaSet: ${r.status} ${r.body}`);
    // status.replicas reaching the target, watched alongside the pods
    let statusMs = NaN;
    const statusSeen = until('ReplicaSet status', async () => {
      const rs = JSON.parse((await c.request('GET', '/apis/apps/v1/namespaces/bench-rs/replicasets/big')).body);
      if (rs.status?.replicas === replicas) statusMs = performance.now() - t1;
      return rs.status?.replicas === replicas;
    }, 300_000);
    await until('ReplicaSet pods seen', () => viaRs.tl.added.length >= replicas, 300_000);
    const rsCreateMs = Math.max(...viaRs.tl.added);
    await until('ReplicaSet pods bound', () => viaRs.tl.bound.length >= replicas, 300_000);
    const rsBindMs = Math.max(...viaRs.tl.bound);
    await statusSeen;
    await sleep(1000);
    const podCount = JSON.parse((await c.request('GET', '/api/v1/namespaces/bench-rs/pods?limit=1')).body).metadata.remainingItemCount + 1;
    viaRs.close();
    const mem = memoryOf(srv.pid);
    log(`replicaset: ${replicas} pods created in ${round(rsCreateMs)} ms, bound in ${round(rsBindMs)} ms, status in ${round(statusMs)} ms; ${podCount} pods exist`);

    // 4: report
    const perSec = (n: number, ms: number) => round((n * 1000) / ms);
    const ops: Record<string, Summary & { errors: number }> = {
      'direct: POST latency': { ...summarize(postMs), errors: failures },
      'direct: pod ADDED, ms from start': { ...summarize(direct.tl.added), errors: 0 },
      'direct: pod bound, ms from start': { ...summarize(direct.tl.bound), errors: 0 },
      'replicaset: pod ADDED, ms from RS create': { ...summarize(viaRs.tl.added), errors: 0 },
      'replicaset: pod bound, ms from RS create': { ...summarize(viaRs.tl.bound), errors: 0 },
    };
    const result = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?' },
      settings: { replicas, nodes, directConcurrency: 32 },
      throughput: {
        directCreatedPerSec: perSec(replicas, directCreateMs),
        directBoundPerSec: perSec(replicas, directBindMs),
        replicaSetCreatedPerSec: perSec(replicas, rsCreateMs),
        replicaSetBoundPerSec: perSec(replicas, rsBindMs),
        replicaSetStatusMs: round(statusMs),
      },
      ratios: {
        createdVsDirect: Math.round((directCreateMs / rsCreateMs) * 100) / 100,
        boundVsDirect: Math.round((directBindMs / rsBindMs) * 100) / 100,
      },
      overshoot: podCount - replicas,
      apiserverMemory: mem,
      ops,
      checks: [] as TargetCheck[],
    };
    writeReport(process.env.BENCH_OUT ?? join(repoRoot(), 'bench', 'results'), 'controllers', result, [
      '# kinglet controller throughput benchmark',
      '',
      `${result.when} · ${result.machine.cpus} CPUs (${result.machine.model}) · Node ${process.version}`,
      `A ReplicaSet of ${replicas} replicas on ${nodes} simulated nodes (API-registered, no agents); baseline: the same number of pods POSTed by a client, 32 in flight, same run.`,
      `Created: ReplicaSet ${result.throughput.replicaSetCreatedPerSec} pods/s vs direct ${result.throughput.directCreatedPerSec} pods/s (×${result.ratios.createdVsDirect}).`,
      `Bound by the scheduler: ReplicaSet ${result.throughput.replicaSetBoundPerSec} pods/s vs direct ${result.throughput.directBoundPerSec} pods/s (×${result.ratios.boundVsDirect}).`,
      `ReplicaSet status.replicas = ${replicas} after ${result.throughput.replicaSetStatusMs} ms; pods beyond replicas (overshoot): ${result.overshoot}. Apiserver RSS ${mem.rssMiB} MiB (peak ${mem.peakMiB}).`,
    ]);
    console.log(`controllers bench: RS ${result.throughput.replicaSetCreatedPerSec} pods/s created vs direct ${result.throughput.directCreatedPerSec} (×${result.ratios.createdVsDirect})`);
  } finally {
    if (beat) clearInterval(beat);
    c.close();
    await srv.stop();
  }
}
