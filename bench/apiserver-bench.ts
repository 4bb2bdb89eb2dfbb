// apiserver benchmark: load N pods (default 10k), then drive a fixed-rate mix of create / get /
// list(limit=500) / full list of a 1k-pod namespace, timing each and the delay from a create's start
// to its ADDED event on an open watch. Reports p50/p99 and RSS against the targets.
import os from 'node:os';
import { join } from 'node:path';
import { Client } from './lib/https-client.js';
import { bulk, pace } from './lib/pacer.js';
import { check, writeReport } from './lib/report.js';
import { memoryOf, repoRoot, startServer, waitQuiet } from './lib/server-process.js';
import { summarize } from './lib/stats.js';

export interface BenchOptions {
  pods: number;
  nsPods: number;
  qps: number;
  seconds: number;
  outDir: string;
}

const TARGETS = { createP99Ms: 20, list1kMs: 100, rssMiB: 150 };

function envInt(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : dflt;
}

export function defaultOptions(): BenchOptions {
  return {
    pods: envInt('BENCH_PODS', 10_000),
    nsPods: envInt('BENCH_NS_PODS', 1_000),
    qps: envInt('BENCH_QPS', 100),
    seconds: envInt('BENCH_SECONDS', 20),
    outDir: process.env.BENCH_OUT ?? join(repoRoot(), 'bench', 'results'),
  };
}

function pod(name: string, i: number) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: `app-${i % 50}`, bench: 'yes' } },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80 }],
          env: [{ name: 'INDEX', value: String(i) }],
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
        },
      ],
    },
  };
}

type Op = 'create' | 'get' | 'list500' | 'listNs1k' | 'watchDelivery';

export async function runApiserverBench(opts: BenchOptions = defaultOptions()): Promise<void> {
  const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
  const srv = await startServer();
  const client = new Client(srv, 64);
  const samples: Record<Op, number[]> = { create: [], get: [], list500: [], listNs1k: [], watchDelivery: [] };
  const errors: Record<Op, number> = { create: 0, get: 0, list500: 0, listNs1k: 0, watchDelivery: 0 };
  try {
    // 1. Namespaces: one holding exactly nsPods pods for the full-list measurement, one for the rest.
    for (const ns of ['bench-1k', 'bench-bulk', 'bench-ops']) {
      const r = await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      if (r.status !== 201) throw new Error(`create namespace ${ns}: ${r.status} ${r.body}`);
    }

    // 2. Bulk load with a few concurrent writers (the load itself is reported as throughput).
    log(`loading ${opts.pods} pods`);
    const loadStart = performance.now();
    const loadFailures = await bulk(opts.pods, 16, async (i) => {
      const ns = i < opts.nsPods ? 'bench-1k' : 'bench-bulk';
      const r = await client.request('POST', `/api/v1/namespaces/${ns}/pods`, pod(`p-${i}`, i));
      if (r.status !== 201) throw new Error(`create pod: ${r.status}`);
    });
    const loadSeconds = (performance.now() - loadStart) / 1000;
    log(`loaded in ${loadSeconds.toFixed(1)} s (${loadFailures} failures)`);
    // Let the scheduler's status writes and events for the new pods settle: the targets are about a
    // server holding 10k pods, not one still working through the load's backlog.
    await new Promise((r) => setTimeout(r, 2000));
    const settleSeconds = 2 + (await waitQuiet(srv.pid));
    log(`settled after ${settleSeconds.toFixed(1)} s`);
    const memLoaded = memoryOf(srv.pid);

    // 3. A watch on the namespace the measured creates go to.
    const createStarted = new Map<string, number>();
    const closeWatch = await client.watch('/api/v1/namespaces/bench-ops/pods?watch=true&allowWatchBookmarks=false', (type, obj) => {
      const name = obj.metadata?.name;
      const t0 = name ? createStarted.get(name) : undefined;
      if (type === 'ADDED' && t0 !== undefined) {
        samples.watchDelivery.push(performance.now() - t0);
        createStarted.delete(name!);
      }
    });

    // 4. Fixed-rate mix: per 10 ticks 4 creates, 4 gets, 1 paged list, 1 full namespace list.
    const timed = async (op: Op, method: string, path: string, body?: object) => {
      const t0 = performance.now();
      try {
        const r = await client.request(method, path, body);
        if (r.status >= 200 && r.status < 300) samples[op].push(performance.now() - t0);
        else errors[op]++;
      } catch {
        errors[op]++;
      }
    };
    log(`measuring at ${opts.qps} QPS for ${opts.seconds} s`);
    const paced = await pace({ qps: opts.qps, durationMs: opts.seconds * 1000, maxInFlight: 64 }, async (tick) => {
      const slot = tick % 10;
      if (slot < 4) {
        const name = `op-${tick}`;
        createStarted.set(name, performance.now());
        await timed('create', 'POST', '/api/v1/namespaces/bench-ops/pods', pod(name, tick));
      } else if (slot < 8) {
        const i = (tick * 7919) % Math.max(1, Math.min(opts.nsPods, opts.pods));
        await timed('get', 'GET', `/api/v1/namespaces/bench-1k/pods/p-${i}`);
      } else if (slot === 8) {
        await timed('list500', 'GET', '/api/v1/pods?limit=500');
      } else {
        await timed('listNs1k', 'GET', '/api/v1/namespaces/bench-1k/pods');
      }
    });

    // 5. Give the last watch events a moment, then count the missing ones as errors.
    const deadline = Date.now() + 5000;
    while (createStarted.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    errors.watchDelivery = createStarted.size;
    closeWatch();
    const memAfter = memoryOf(srv.pid);

    // 6. Report against the targets.
    const ops = Object.fromEntries(
      (Object.keys(samples) as Op[]).map((k) => [k, { ...summarize(samples[k]), errors: errors[k] }]),
    ) as Record<Op, ReturnType<typeof summarize> & { errors: number }>;
    const checks = [
      check('create p99', ops.create.p99, TARGETS.createP99Ms, 'ms'),
      check('list 1k pods p99', ops.listNs1k.p99, TARGETS.list1kMs, 'ms'),
      check(`RSS with ${opts.pods} pods`, memLoaded.rssMiB, TARGETS.rssMiB, 'MiB'),
    ];
    const result = {
      benchmark: 'apiserver',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version, memGiB: Math.round(os.totalmem() / 2 ** 30) },
      settings: opts,
      load: {
        pods: opts.pods,
        seconds: Math.round(loadSeconds * 10) / 10,
        podsPerSecond: Math.round(opts.pods / loadSeconds),
        failures: loadFailures,
        settleSeconds: Math.round(settleSeconds * 10) / 10,
      },
      paced: { ...paced, elapsedMs: Math.round(paced.elapsedMs) },
      memory: { loaded: memLoaded, afterOps: memAfter },
      ops,
      checks,
      baseline: 'no other apiserver runs here: results are reported as ratios to the issue targets',
    };
    writeReport(opts.outDir, 'apiserver', result, [
      '# kinglet apiserver benchmark',
      '',
      `${result.date} · ${result.machine.cpus} CPUs (${result.machine.model}) · Node ${process.version}`,
      `Loaded ${opts.pods} pods in ${result.load.seconds} s (${result.load.podsPerSecond}/s, ${loadFailures} failures), ` +
        `background work settled ${result.load.settleSeconds} s later; ` +
        `then ${opts.qps} QPS for ${opts.seconds} s (${paced.started} ops, ${paced.skipped} skipped): ` +
        `40% create, 40% get, 10% list limit=500, 10% full list of a ${opts.nsPods}-pod namespace. ` +
        `watchDelivery = create request start → ADDED on an open watch.`,
      `RSS with ${opts.pods} pods: ${memLoaded.rssMiB} MiB (peak ${memAfter.peakMiB} MiB).`,
    ]);
    log(`wrote ${join(opts.outDir, 'apiserver.json')} and apiserver.md`);
    for (const c of checks) log(`${c.name}: ${c.measured} ${c.unit} (target ${c.target}, ratio ${c.ratio}) ${c.ok ? 'OK' : 'MISSED'}`);
  } finally {
    client.close();
    await srv.stop();
  }
}
