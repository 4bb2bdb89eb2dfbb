// Lab benchmark: `kinglet lab up --nodes N` until every node is Ready, and `kinglet lab down`, R
// times, beside the floor measured in the same run: N dockerds started in parallel in fresh network
// namespaces until they answer (the part of a node no lab code can skip), and stopping them again.
// Needs root and the test images (scripts/images/). BENCH_LAB_NODES (3), BENCH_LAB_RUNS (3).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startDockerd } from '../cli/lab/daemons.js';
import { layoutFor, nodeNs } from '../cli/lab/layout.js';
import { removeNetworking } from '../cli/lab/netns.js';
import { sh, stopProcesses } from '../cli/lab/proc.js';
import { check, writeReport } from './lib/report.js';
import { repoRoot } from './lib/server-process.js';
import { summarize } from './lib/stats.js';

const round = (x: number) => Math.round(x * 100) / 100;

function kinglet(root: string, args: string[]): number {
  const t = performance.now();
  execFileSync(process.execPath, [join(root, 'bin', 'kinglet'), ...args], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  return performance.now() - t;
}

/** N dockerds in N bare namespaces, started in parallel until they answer; then stopped. */
async function floorRun(base: string, nodes: number): Promise<{ upMs: number; downMs: number }> {
  const l = layoutFor(join(base, 'floor'));
  const logDir = join(base, 'floor-logs');
  mkdirSync(logDir, { recursive: true });
  const names = Array.from({ length: nodes }, (_, i) => `f${i + 1}`);
  const t0 = performance.now();
  const procs = await Promise.all(
    names.map(async (name) => {
      const netns = nodeNs(l, name);
      await sh('ip', ['netns', 'add', netns]);
      await sh('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
      const node = { name, netns, ip: '', dockerSock: join(l.runDir, name, 'docker.sock') };
      return startDockerd(node, join(base, 'floor', name, 'docker'), join(l.runDir, name), '127.0.0.1:1', logDir);
    }),
  );
  const upMs = performance.now() - t0;
  const t1 = performance.now();
  await stopProcesses(procs, 20_000);
  await removeNetworking(l);
  const downMs = performance.now() - t1;
  rmSync(l.runDir, { recursive: true, force: true });
  rmSync(join(base, 'floor'), { recursive: true, force: true });
  return { upMs, downMs };
}

export async function runLabBench(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the lab bench needs root');
  const root = repoRoot();
  const nodes = Number(process.env.BENCH_LAB_NODES ?? 3);
  const runs = Number(process.env.BENCH_LAB_RUNS ?? 3);
  execFileSync('bash', [join(root, 'scripts', 'images', 'build-test-images.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const base = mkdtempSync(join(os.tmpdir(), 'kinglet-lab-bench-'));
  const up: number[] = [];
  const down: number[] = [];
  const floorUp: number[] = [];
  const floorDown: number[] = [];
  const dir = join(base, 'lab');
  try {
    for (let r = 0; r < runs; r++) {
      const f = await floorRun(base, nodes);
      floorUp.push(f.upMs);
      floorDown.push(f.downMs);
      up.push(kinglet(root, ['lab', 'up', '--nodes', String(nodes), '--dir', dir]));
      down.push(kinglet(root, ['lab', 'down', '--dir', dir]));
    }
  } finally {
    try {
      kinglet(root, ['lab', 'down', '--dir', dir]);
    } catch {
      // best effort: the error that got us here matters more
    }
    rmSync(base, { recursive: true, force: true });
  }
  const s = { up: summarize(up), down: summarize(down), floorUp: summarize(floorUp), floorDown: summarize(floorDown) };
  const ops = {
    [`floor: ${nodes} dockerds in fresh netns, parallel, answering`]: { ...s.floorUp, errors: 0 },
    [`lab up --nodes ${nodes} (all Ready)`]: { ...s.up, errors: 0 },
    [`floor: stop ${nodes} dockerds + delete netns`]: { ...s.floorDown, errors: 0 },
    [`lab down (${nodes} nodes)`]: { ...s.down, errors: 0 },
  };
  const result = {
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    nodes,
    runs,
    ratios: { upVsFloor: round(s.up.p50 / s.floorUp.p50), downVsFloor: round(s.down.p50 / s.floorDown.p50) },
    ops,
    checks: [check(`lab up p50 (${nodes} nodes)`, s.up.p50, 15_000, 'ms'), check(`lab down p50 (${nodes} nodes)`, s.down.p50, 5_000, 'ms')],
  };
  writeReport(process.env.BENCH_OUT ?? join(root, 'bench', 'results'), 'lab', result, [
    '# kinglet lab benchmark',
    '',
    `${result.when} · ${result.machine.cpus} CPUs (${result.machine.model}) · Node ${process.version} · ${nodes} nodes × ${runs} runs`,
    'lab up = `kinglet lab up` until every Node is Ready (namespaces, registry with test images, dockerds, apiserver, agents).',
    'Floor = the same number of dockerds started in parallel in bare network namespaces until they answer, in the same run.',
    `up p50 ${s.up.p50} ms vs floor ${s.floorUp.p50} ms (×${result.ratios.upVsFloor}); down p50 ${s.down.p50} ms vs floor ${s.floorDown.p50} ms (×${result.ratios.downVsFloor}).`,
  ]);
  console.log(`lab bench: up p50 ${s.up.p50} ms (floor ${s.floorUp.p50}), down p50 ${s.down.p50} ms (floor ${s.floorDown.p50})`);
}
