// Probe overhead benchmark: the agent (in this process, with an in-memory link) runs 100 httpd
// containers (20 pods × 5) three times over: without probes (the baseline of the same run), with an
// exec liveness probe each every second, and with an http readiness probe each every second. For
// each phase: agent CPU (share of one core), dockerd CPU, agent RSS, probe latencies. Probe traffic
// goes only to pod IPs on the pod bridge this agent creates. Needs the test dockerd + registry.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { pino } from 'pino';
import type { KubeObject } from '../api/types.js';
import { agentConfig } from '../agent/config.js';
import { startAgent } from '../agent/main.js';
import { DockerRuntime } from '../agent/runtime/docker-runtime.js';
import { MemoryLink } from './lib/memory-link.js';
import { check, writeReport, type TargetCheck } from './lib/report.js';
import { repoRoot } from './lib/server-process.js';
import { summarize, type Summary } from './lib/stats.js';

const SOCK = process.env.KINGLET_DOCKER_SOCK ?? '/run/kinglet-test/docker.sock';
const DOCKER_PID_FILE = process.env.KINGLET_DOCKER_PIDFILE ?? '/run/kinglet-test/docker.pid';
const IMAGE = `127.0.0.1:${process.env.KINGLET_REGISTRY_PORT ?? '5000'}/kinglet-test/busybox:1`;
const PODS = Number(process.env.BENCH_PROBE_PODS ?? 20);
const PER_POD = 5;
const WINDOW_S = Number(process.env.BENCH_SECONDS ?? 20);
const CLK_TCK = 100;
const CLUSTER = { serviceCidr: '10.96.0.0/16', clusterCidr: '10.244.0.0/16', podCidr: '10.244.250.0/24', clusterDns: '10.96.0.10', clusterDomain: 'cluster.local' };
type Phase = 'none' | 'exec' | 'http';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number) => Math.round(x * 100) / 100;

function podsFor(phase: Phase, node: string): KubeObject[] {
  return Array.from({ length: PODS }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `probe-${phase}-${i}`, namespace: 'default', uid: randomUUID(), resourceVersion: '1' },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: 2,
      dnsPolicy: 'Default',
      containers: Array.from({ length: PER_POD }, (_, j) => {
        const port = 8080 + j;
        const c: Record<string, unknown> = { name: `web${j}`, image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['httpd', '-f', '-p', String(port), '-h', '/www'] };
        // readiness, not liveness: when the engine cannot keep up, late probes flip ready instead of
        // restarting containers, so the phase stays steady while it is measured
        if (phase === 'exec') c.readinessProbe = { exec: { command: ['true'] }, periodSeconds: 1, timeoutSeconds: 1 };
        if (phase === 'http') c.readinessProbe = { httpGet: { port, path: '/index.html' }, periodSeconds: 1, timeoutSeconds: 1 };
        return c;
      }),
    },
    status: { phase: 'Pending' },
  }));
}

/** utime + stime of a process in ms (0 when unreadable) */
function cpuMsOf(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/**
 * The engine's exec floor: `true` exec'd through the same DockerRuntime into one container, first
 * one at a time (latency), then 8 at a time for 5 s (throughput). No probe rate can beat it.
 */
async function execFloor(docker: Docker): Promise<{ latency: number[]; perSec: number }> {
  const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '600'], Labels: { 'io.kinglet.bench': 'probes-floor' } });
  await c.start();
  const rt = new DockerRuntime({ dockerHost: `unix://${SOCK}`, log: pino({ level: 'silent' }) });
  try {
    const latency: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await rt.exec(c.id, ['true'], 5000);
      latency.push(performance.now() - t);
    }
    let done = 0;
    const end = performance.now() + 5000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < end) {
          await rt.exec(c.id, ['true'], 5000);
          done++;
        }
      }),
    );
    return { latency, perSec: round(done / 5) };
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

interface PhaseResult {
  agentCpuPct: number;
  dockerdCpuPct: number;
  rssMiB: number;
  probes: number;
  failures: number;
  latency: number[];
}

export async function runProbesBench(): Promise<void> {
  const root = repoRoot();
  if (!(existsSync(SOCK) && process.env.BENCH_NO_SETUP === '1')) execFileSync('bash', [join(root, 'scripts', 'images', 'build-test-images.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const docker = new Docker({ socketPath: SOCK });
  await docker.getImage(IMAGE).inspect();
  const dockerdPid = Number(readFileSync(DOCKER_PID_FILE, 'utf8').trim());
  const dataDir = mkdtempSync(join(os.tmpdir(), 'kinglet-bench-probes-'));
  const node = 'bench-probes';
  const link = new MemoryLink(CLUSTER);
  let window: { on: boolean; latency: number[]; failures: number } = { on: false, latency: [], failures: 0 };
  const cfg = { ...agentConfig({ server: 'https://127.0.0.1:1', nodeName: node, dataDir, dockerHost: `unix://${SOCK}`, nodeIp: '127.0.0.1', podNetwork: 'none', dnsListen: '127.0.0.1:0', dnsUpstreams: ['none'] }), relistMs: 5000, proxy: false };
  const agent = await startAgent(cfg, pino({ level: process.env.KINGLET_LOG_LEVEL ?? 'warn' }), {
    connect: async () => link,
    nodeReporter: null,
    onProbe: (_k, ms, o) => {
      if (!window.on) return;
      window.latency.push(ms);
      if (o.result === 'failure') window.failures++;
    },
  });
  const uids: string[] = [];
  const results: Partial<Record<Phase, PhaseResult>> = {};
  let floor: { latency: number[]; perSec: number } = { latency: [], perSec: NaN };
  try {
    floor = await execFloor(docker);
    console.log(`probes bench exec floor: ${floor.perSec} execs/s`);
    for (const phase of ['none', 'exec', 'http'] as Phase[]) {
      // 1. start the phase's pods and wait until every container runs (and, with http, is ready)
      const pods = podsFor(phase, node);
      uids.push(...pods.map((p) => p.metadata.uid!));
      link.upsert(pods);
      const end = Date.now() + 300_000;
      const up = (p: KubeObject) => {
        const cs: any[] = link.statuses.get(p.metadata.uid!)?.containerStatuses ?? [];
        return cs.length === PER_POD && cs.every((s) => s.state?.running && (phase !== 'http' || s.ready));
      };
      while (!pods.every(up)) {
        if (Date.now() > end) throw new Error(`phase ${phase}: pods not up within 300 s`);
        await sleep(250);
      }
      await sleep(3000);
      // 2. the measured window
      window = { on: true, latency: [], failures: 0 };
      const c0 = process.cpuUsage();
      const d0 = cpuMsOf(dockerdPid);
      const t0 = performance.now();
      const rss: number[] = [];
      for (let s = 0; s < WINDOW_S; s++) {
        await sleep(1000);
        rss.push(process.memoryUsage().rss / 2 ** 20);
      }
      const wallMs = performance.now() - t0;
      const c = process.cpuUsage(c0);
      window.on = false;
      results[phase] = {
        agentCpuPct: round(((c.user + c.system) / 1000 / wallMs) * 100),
        dockerdCpuPct: round(((cpuMsOf(dockerdPid) - d0) / wallMs) * 100),
        rssMiB: round(Math.max(...rss)),
        probes: window.latency.length,
        failures: window.failures,
        latency: window.latency,
      };
      console.log(`probes bench ${phase}: agent ${results[phase]!.agentCpuPct}% dockerd ${results[phase]!.dockerdCpuPct}% rss ${results[phase]!.rssMiB} MiB probes ${window.latency.length}`);
      // 3. remove the pods (httpd stops on SIGTERM) before the next phase
      link.remove(pods);
      const gone = Date.now() + 120_000;
      while ((await docker.listContainers({ filters: { label: ['io.kinglet.managed=true'] } })).some((x) => uids.includes(x.Labels['io.kinglet.pod.uid'] ?? ''))) {
        if (Date.now() > gone) throw new Error(`phase ${phase}: containers still running after 120 s`);
        await sleep(500);
      }
    }
  } finally {
    await agent.stop();
    const left = await docker.listContainers({ all: true, filters: { label: ['io.kinglet.managed=true'] } }).catch(() => []);
    await Promise.all(left.filter((x) => uids.includes(x.Labels['io.kinglet.pod.uid'] ?? '')).map((x) => docker.getContainer(x.Id).remove({ force: true }).catch(() => undefined)));
    rmSync(dataDir, { recursive: true, force: true });
  }
  report(results as Record<Phase, PhaseResult>, floor, root);
}

function report(r: Record<Phase, PhaseResult>, floor: { latency: number[]; perSec: number }, root: string): void {
  const n = PODS * PER_POD;
  const execLat = summarize(r.exec.latency);
  const httpLat = summarize(r.http.latency);
  const execRate = round(r.exec.probes / WINDOW_S);
  const ops: Record<string, Summary & { errors: number }> = {
    'floor: docker exec `true`, one at a time': { ...summarize(floor.latency), errors: 0 },
    [`exec probe (${n} containers, 1 s period)`]: { ...execLat, errors: r.exec.failures },
    [`http probe (${n} containers, 1 s period)`]: { ...httpLat, errors: r.http.failures },
  };
  const extra = (p: Phase) => round(r[p].agentCpuPct - r.none.agentCpuPct);
  const checks: TargetCheck[] = [
    check(`agent CPU added by ${n} http probes/s (% of one core)`, extra('http'), 15, '%'),
    check(`agent CPU added by ${n} exec probes/s (% of one core)`, extra('exec'), 25, '%'),
    check('agent RSS with http probes − baseline', round(r.http.rssMiB - r.none.rssMiB), 30, 'MiB'),
    check('agent RSS with exec probes − baseline', round(r.exec.rssMiB - r.none.rssMiB), 30, 'MiB'),
    check('http probe p99 latency', httpLat.p99, 100, 'ms'),
    // 100 exec/s is above what the engine does here: the prober must get close to the floor
    check('engine exec floor ÷ exec probes/s achieved', round(floor.perSec / execRate), 1.25, '×'),
  ];
  const phases = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { ...v, latency: undefined, probesPerSec: round(v.probes / WINDOW_S) }]));
  const result = {
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    setup: { pods: PODS, containersPerPod: PER_POD, windowSeconds: WINDOW_S },
    phases,
    execFloorPerSec: floor.perSec,
    ratios: {
      execProbesVsFloor: round(execRate / floor.perSec),
      agentCpuExecVsBaseline: round(r.exec.agentCpuPct / r.none.agentCpuPct),
      agentCpuHttpVsBaseline: round(r.http.agentCpuPct / r.none.agentCpuPct),
      rssExecVsBaseline: round(r.exec.rssMiB / r.none.rssMiB),
      rssHttpVsBaseline: round(r.http.rssMiB / r.none.rssMiB),
    },
    ops,
    checks,
  };
  const line = (p: Phase) => `| ${p} | ${r[p].agentCpuPct} | ${r[p].dockerdCpuPct} | ${r[p].rssMiB} | ${round(r[p].probes / WINDOW_S)} | ${r[p].failures} |`;
  writeReport(process.env.BENCH_OUT ?? join(root, 'bench', 'results'), 'probes', result, [
    '# kinglet probe overhead benchmark',
    '',
    `${result.when} · ${result.machine.cpus} CPUs (${result.machine.model}) · Node ${process.version}`,
    `${n} httpd containers (${PODS} pods × ${PER_POD}) on one in-process agent; ${WINDOW_S} s window per phase after all are up.`,
    'Baseline (same run): the same containers without probes. CPU is the share of one core; dockerd CPU counts what exec probes cost the engine.',
    `Engine floor (same run): ${floor.perSec} execs/s of \`true\` through the runtime, 8 in parallel; exec probes reached ${execRate}/s (×${round(execRate / floor.perSec)} of the floor).`,
    '',
    '| phase | agent CPU % | dockerd CPU % | agent RSS MiB | probes/s | failed probes |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    line('none'),
    line('exec'),
    line('http'),
  ]);
}
