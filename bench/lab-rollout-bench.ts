// Lab rollout benchmark: on a 3-node `kinglet lab`, the time to roll a 50-replica Deployment to a
// new image tag (`kubectl set image` → `kubectl rollout status` complete, default strategy 25%/25%),
// beside the baseline measured in the same run: the same 50 pods created fresh as a new Deployment
// (apply → rollout status complete). A rollout replaces every pod, so it does at least the
// baseline's work plus the old pods' termination; the ratio shows what the rolling steps cost.
// Needs root and the test images. BENCH_ROLLOUT_REPLICAS (50), BENCH_ROLLOUT_RUNS (2), BENCH_LAB_NODES (3).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { check, writeReport } from './lib/report.js';
import { repoRoot } from './lib/server-process.js';
import { summarize } from './lib/stats.js';

const round = (x: number) => Math.round(x * 100) / 100;

const deployment = (name: string, replicas: number, image: string): string =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image, command: ['sleep', '3600'] }] },
      },
    },
  });

export async function runLabRolloutBench(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the lab rollout bench needs root');
  const root = repoRoot();
  const nodes = Number(process.env.BENCH_LAB_NODES ?? 3);
  const replicas = Number(process.env.BENCH_ROLLOUT_REPLICAS ?? 50);
  const runs = Number(process.env.BENCH_ROLLOUT_RUNS ?? 2);
  const base = mkdtempSync(join(os.tmpdir(), 'kinglet-rollout-bench-'));
  const dir = join(base, 'lab');
  const kinglet = (args: string[]): string => execFileSync(process.execPath, [join(root, 'bin', 'kinglet'), ...args], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'inherit'] });
  const kubectl = (args: string[], input?: string): string =>
    execFileSync('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), ...args], { encoding: 'utf8', input, timeout: 900_000, stdio: ['pipe', 'pipe', 'inherit'] });
  const timed = (fn: () => void): number => {
    const t = performance.now();
    fn();
    return performance.now() - t;
  };
  const complete = (name: string) => kubectl(['rollout', 'status', `deployment/${name}`, '--timeout=600s']);

  const fresh: number[] = [];
  const roll: number[] = [];
  try {
    kinglet(['lab', 'up', '--nodes', String(nodes), '--dir', dir]);
    const registry = /^registry: (\S+)$/m.exec(kinglet(['lab', 'status', '--dir', dir]))![1];
    const tags = [`${registry}/kinglet-test/busybox:1`, `${registry}/kinglet-test/busybox:2`];
    // the "new image": the same content under another tag, so both runs pull and start alike
    execFileSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${tags[0]}`, `docker://${tags[1]}`]);
    // warm-up: every node pulls both tags once, outside the timings
    kubectl(['apply', '-f', '-'], deployment('roll', replicas, tags[1]!));
    complete('roll');
    kubectl(['set', 'image', 'deployment/roll', `c=${tags[0]}`]);
    complete('roll');
    for (let r = 0; r < runs; r++) {
      fresh.push(timed(() => {
        kubectl(['apply', '-f', '-'], deployment('fresh', replicas, tags[r % 2]!));
        complete('fresh');
      }));
      kubectl(['delete', 'deployment', 'fresh', '--wait=true']);
      kubectl(['wait', '--for=delete', 'pods', '-l', 'app=fresh', '--timeout=300s']);
      roll.push(timed(() => {
        kubectl(['set', 'image', 'deployment/roll', `c=${tags[(r + 1) % 2]}`]);
        complete('roll');
      }));
    }
  } finally {
    try {
      kinglet(['lab', 'down', '--dir', dir]);
    } catch {
      // best effort: the error that got us here matters more
    }
    rmSync(base, { recursive: true, force: true });
  }
  const s = { fresh: summarize(fresh), roll: summarize(roll) };
  const ops = {
    [`baseline: create a ${replicas}-replica Deployment fresh (apply → rollout complete)`]: { ...s.fresh, errors: 0 },
    [`roll a ${replicas}-replica Deployment to a new tag (set image → rollout complete)`]: { ...s.roll, errors: 0 },
  };
  const result = {
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    nodes,
    replicas,
    runs,
    ratios: { rolloutVsFresh: round(s.roll.p50 / s.fresh.p50) },
    ops,
    checks: [check(`rollout of ${replicas} replicas p50 (${nodes} nodes)`, s.roll.p50, 120_000, 'ms'), check('rollout / fresh create (p50)', round(s.roll.p50 / s.fresh.p50), 3, '×')],
  };
  writeReport(process.env.BENCH_OUT ?? join(root, 'bench', 'results'), 'lab-rollout', result, [
    '# kinglet lab rollout benchmark',
    '',
    `${result.when} · ${result.machine.cpus} CPUs (${result.machine.model}) · Node ${process.version} · ${nodes} nodes · ${replicas} replicas × ${runs} runs`,
    'Rollout = `kubectl set image` until `kubectl rollout status` reports complete (RollingUpdate 25% / 25%, busybox `sleep`, grace 1 s).',
    'Baseline = the same pods created fresh as a new Deployment until complete, in the same run and lab (images already pulled).',
    `rollout p50 ${s.roll.p50} ms vs fresh create p50 ${s.fresh.p50} ms (×${result.ratios.rolloutVsFresh}).`,
  ]);
  console.log(`lab rollout bench: rollout p50 ${s.roll.p50} ms, fresh create p50 ${s.fresh.p50} ms (×${result.ratios.rolloutVsFresh})`);
}
