// Pod start benchmark: create → Running seen on a watch (image present) for 1 pod (×10) and a
// 50-pod burst on one node, beside the floor measured in the same run (the same busybox container
// created + started directly through dockerode: one at a time and 50 in parallel), a second floor
// of the same containers a pod is (sandbox + app, raw dockerode), plus the agent's RSS idle and
// with 50 pods. Needs the test dockerd + registry (scripts/images/).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { AGENT_NODE_FLAGS } from '../agent/node-flags.js';
import { SANDBOX_IMAGE } from '../agent/runtime/sandbox-image.js';
import { Client } from './lib/https-client.js';
import { check, writeReport, type TargetCheck } from './lib/report.js';
import { memoryOf, repoRoot, startServer } from './lib/server-process.js';
import { summarize, type Summary } from './lib/stats.js';

const SOCK = process.env.KINGLET_DOCKER_SOCK ?? '/run/kinglet-test/docker.sock';
const IMAGE = `127.0.0.1:${process.env.KINGLET_REGISTRY_PORT ?? '5000'}/kinglet-test/busybox:1`;
const NODE = 'bench-node';
const BENCH_LABEL = 'io.kinglet.bench';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ensureDocker(root: string): void {
  if (existsSync(SOCK) && process.env.BENCH_NO_SETUP === '1') return;
  // idempotent: starts dockerd + registries and builds/pushes the test image when missing
  execFileSync('bash', [join(root, 'scripts', 'images', 'build-test-images.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const FLOOR_LOG = { Type: 'json-file', Config: {} };

/** n runs of `one` in parallel: each run's own time and the time until all finished. */
async function timeParallel(n: number, one: () => Promise<void>): Promise<{ perContainer: number[]; totalMs: number }> {
  const t0 = performance.now();
  const per = await Promise.all(
    Array.from({ length: n }, async () => {
      const s = performance.now();
      await one();
      return performance.now() - s;
    }),
  );
  return { perContainer: per, totalMs: performance.now() - t0 };
}

/** The floor: create + start of the pod's app container straight through the Docker API. */
function floorRun(docker: Docker, n: number): Promise<{ perContainer: number[]; totalMs: number }> {
  return timeParallel(n, async () => {
    const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '3600'], Labels: { [BENCH_LABEL]: 'floor' }, HostConfig: { LogConfig: FLOOR_LOG } });
    await c.start();
  });
}

/**
 * The second floor, "same containers": what a pod is on Docker, without kinglet: a sandbox on the
 * agent's pod network, then the app container created and started in its namespaces, in the
 * order Docker requires. It shows how much of a pod's start is Docker's own cost of two containers.
 */
function podPatternRun(docker: Docker, n: number, network: string): Promise<{ perContainer: number[]; totalMs: number }> {
  return timeParallel(n, async () => {
    const sb = await docker.createContainer({ Image: SANDBOX_IMAGE, Labels: { [BENCH_LABEL]: 'floor' }, HostConfig: { NetworkMode: network, IpcMode: 'shareable', LogConfig: FLOOR_LOG } });
    await sb.start();
    const ns = `container:${sb.id}`;
    const app = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '3600'], Labels: { [BENCH_LABEL]: 'floor' }, HostConfig: { NetworkMode: ns, IpcMode: ns, LogConfig: FLOOR_LOG } });
    await app.start();
  });
}

async function removeFloor(docker: Docker): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${BENCH_LABEL}=floor`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

function podBody(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { bench: 'pod-start' } },
    spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
  };
}

const isRunning = (p: any): boolean => p?.status?.phase === 'Running' && (p.status.containerStatuses ?? []).every((s: any) => s.ready);

export async function runPodStartBench(): Promise<void> {
  const root = repoRoot();
  ensureDocker(root);
  const docker = new Docker({ socketPath: SOCK });
  await docker.getImage(IMAGE).inspect(); // image present: pull time is not part of pod start
  const srv = await startServer();
  const client = new Client(srv, 64);
  const agentDir = mkdtempSync(join(os.tmpdir(), 'kinglet-bench-agent-'));
  let agent: ChildProcess | undefined;
  const running = new Map<string, number>();
  let closeWatch: (() => void) | undefined;
  try {
    // 1. one node: token, agent, node Ready
    const token = execFileSync(process.execPath, [join(root, 'bin', 'kinglet'), 'token', 'create', '--data-dir', srv.dataDir], { encoding: 'utf8' }).trim();
    // as scripts/up.sh runs it (see agent/node-flags.ts)
    agent = spawn(process.execPath, [...AGENT_NODE_FLAGS, join(root, 'bin', 'kinglet'), 'agent', '--server', srv.url, '--token', token, '--node-name', NODE, '--data-dir', agentDir, '--docker-host', `unix://${SOCK}`, '--node-ip', '127.0.0.1'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, KINGLET_LOG_LEVEL: process.env.KINGLET_LOG_LEVEL ?? 'warn' },
    });
    for (let i = 0; ; i++) {
      const r = await client.request('GET', `/api/v1/nodes/${NODE}`);
      if (r.status === 200 && JSON.parse(r.body).status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')) break;
      if (i > 240 || agent.exitCode !== null) throw new Error('agent node never became Ready');
      await sleep(250);
    }
    await sleep(3000); // settle: sandbox image built, first relist done
    const idle = memoryOf(agent.pid!);

    // 2. the watch that sees Running
    closeWatch = await client.watch('/api/v1/namespaces/default/pods?watch=1', (_t, obj: any) => {
      const name = obj?.metadata?.name;
      if (name && isRunning(obj) && !running.has(name)) running.set(name, performance.now());
    });
    const waitRunning = async (names: string[], timeoutMs: number) => {
      const end = Date.now() + timeoutMs;
      while (names.some((n) => !running.has(n))) {
        if (Date.now() > end) throw new Error(`pods not Running within ${timeoutMs} ms: ${names.filter((n) => !running.has(n)).join(',')}`);
        await sleep(5);
      }
    };
    const deleteAll = async () => {
      await client.request('DELETE', '/api/v1/namespaces/default/pods?labelSelector=bench%3Dpod-start&gracePeriodSeconds=0');
      for (let i = 0; i < 240; i++) {
        if ((await docker.listContainers({ filters: { label: ['io.kinglet.managed=true'] } })).length === 0) return;
        await sleep(250);
      }
    };

    // 3. floor, single: 10 sequential create+start through dockerode
    const floorSingle: number[] = [];
    for (let i = 0; i < 10; i++) floorSingle.push((await floorRun(docker, 1)).totalMs);
    await removeFloor(docker);
    // 3b. the same containers as a pod (sandbox + app), raw, on the agent's own pod network
    const podNet = (await docker.listNetworks()).find((n) => n.Name.startsWith('kinglet-pods-'))?.Name;
    if (!podNet) throw new Error('the agent created no kinglet-pods-* network');
    const patternSingle: number[] = [];
    for (let i = 0; i < 10; i++) patternSingle.push((await podPatternRun(docker, 1, podNet)).totalMs);
    await removeFloor(docker);

    // 4. pods, single: 10 sequential create → Running
    const podSingle: number[] = [];
    for (let i = 0; i < 10; i++) {
      const name = `single-${i}`;
      const t0 = performance.now();
      const r = await client.request('POST', '/api/v1/namespaces/default/pods', podBody(name));
      if (r.status !== 201) throw new Error(`create ${name}: HTTP ${r.status} ${r.body}`);
      await waitRunning([name], 60_000);
      podSingle.push(running.get(name)! - t0);
    }
    await deleteAll();

    // 5. floor, burst of 50 in parallel
    const floorBurst = await floorRun(docker, 50);
    await removeFloor(docker);
    const patternBurst = await podPatternRun(docker, 50, podNet);
    await removeFloor(docker);

    // 6. pods, burst of 50
    const names = Array.from({ length: 50 }, (_, i) => `burst-${i}`);
    const tb = performance.now();
    const starts = new Map<string, number>();
    await Promise.all(
      names.map(async (n) => {
        starts.set(n, performance.now());
        const r = await client.request('POST', '/api/v1/namespaces/default/pods', podBody(n));
        if (r.status !== 201) throw new Error(`create ${n}: HTTP ${r.status}`);
      }),
    );
    await waitRunning(names, 300_000);
    const burstTotal = Math.max(...names.map((n) => running.get(n)!)) - tb;
    const burstPer = names.map((n) => running.get(n)! - starts.get(n)!);
    await sleep(3000);
    const at50 = memoryOf(agent.pid!);
    await deleteAll();

    // 7. report
    const fs1 = summarize(floorSingle);
    const ps1 = summarize(podSingle);
    const pat1 = summarize(patternSingle);
    const round = (x: number) => Math.round(x * 100) / 100;
    const ops: Record<string, Summary & { errors: number }> = {
      'floor: 1 container create+start': { ...fs1, errors: 0 },
      'same containers raw: sandbox + app, sequential': { ...pat1, errors: 0 },
      'pod: 1 pod create → Running': { ...ps1, errors: 0 },
      'floor: 50 in parallel (per container)': { ...summarize(floorBurst.perContainer), errors: 0 },
      'same containers raw: 50 sandbox + app pairs in parallel (per pair)': { ...summarize(patternBurst.perContainer), errors: 0 },
      'pod: 50-pod burst (per pod)': { ...summarize(burstPer), errors: 0 },
    };
    const checks: TargetCheck[] = [
      check('single-pod p50 ≤ floor p50 × 1.2 + 100 ms', ps1.p50, round(fs1.p50 * 1.2 + 100), 'ms'),
      check('50-pod burst (all Running) ≤ 1.5 × floor (all started)', round(burstTotal), round(floorBurst.totalMs * 1.5), 'ms'),
      check('agent RSS idle', idle.rssMiB, 80, 'MiB'),
      check('agent RSS with 50 pods', at50.rssMiB, 120, 'MiB'),
    ];
    const result = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      ratios: {
        singleP50VsFloor: round(ps1.p50 / fs1.p50),
        burstVsFloor: round(burstTotal / floorBurst.totalMs),
        // Docker's own share: the same containers raw, against the one-container floor, and kinglet against them
        sameContainersSingleVsFloor: round(pat1.p50 / fs1.p50),
        sameContainersBurstVsFloor: round(patternBurst.totalMs / floorBurst.totalMs),
        singleP50VsSameContainers: round(ps1.p50 / pat1.p50),
        burstVsSameContainers: round(burstTotal / patternBurst.totalMs),
      },
      burst: { podsAllRunningMs: round(burstTotal), floorAllStartedMs: round(floorBurst.totalMs), sameContainersAllStartedMs: round(patternBurst.totalMs) },
      rss: { idle, at50 },
      ops,
      checks,
    };
    writeReport(process.env.BENCH_OUT ?? join(root, 'bench', 'results'), 'pod-start', result, [
      '# kinglet pod start benchmark',
      '',
      `${result.when} · ${result.machine.cpus} CPUs (${result.machine.model}) · Node ${process.version}`,
      'Pod start = POST of the pod → Running with every container ready on an open watch; image present (IfNotPresent).',
      'Floor = the same busybox container created + started directly through dockerode on the same dockerd, in the same run.',
      `Single pod p50 ${ps1.p50} ms vs floor ${fs1.p50} ms (×${result.ratios.singleP50VsFloor}); 50-pod burst all Running in ${round(burstTotal)} ms vs floor ${round(floorBurst.totalMs)} ms (×${result.ratios.burstVsFloor}).`,
      `Same containers raw (sandbox on the pod network + app in its namespaces, no kinglet): single p50 ${pat1.p50} ms (×${result.ratios.sameContainersSingleVsFloor} the floor), 50 in parallel ${round(patternBurst.totalMs)} ms (×${result.ratios.sameContainersBurstVsFloor}); kinglet vs them: single ×${result.ratios.singleP50VsSameContainers}, burst ×${result.ratios.burstVsSameContainers}.`,
      `Agent RSS: idle ${idle.rssMiB} MiB, with 50 pods ${at50.rssMiB} MiB (peak ${at50.peakMiB} MiB).`,
    ]);
    console.log(`pod-start bench: single p50 ${ps1.p50} ms (floor ${fs1.p50}), burst ${round(burstTotal)} ms (floor ${round(floorBurst.totalMs)}), RSS ${idle.rssMiB}/${at50.rssMiB} MiB`);
  } finally {
    closeWatch?.();
    if (agent && agent.exitCode === null) {
      agent.kill('SIGTERM');
      await new Promise((r) => agent!.once('exit', r));
    }
    client.close();
    await srv.stop();
    // the agent leaves pods running by design: remove what the bench created
    const left = await docker.listContainers({ all: true, filters: { label: ['io.kinglet.managed=true'] } }).catch(() => []);
    await Promise.all(left.filter((c) => /^(single|burst)-/.test(c.Labels['io.kinglet.pod.name'] ?? '')).map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    await removeFloor(docker).catch(() => undefined);
    rmSync(agentDir, { recursive: true, force: true });
  }
}
