// Lab network benchmark on a 3-node `kinglet lab`:
// (a) network programming latency: a pod (on node2) becomes Ready, as the bench sees it on a pod
//     watch, → its endpoint's DNAT rule is present in every node's nat table (rule-watch pollers),
//     over BENCH_LAB_NET_CHANGES readiness flips (a host file its exec readiness probe reads);
// (b) throughput from a client pod on node1 to a server pod on node2: through the ClusterIP vs the
//     pod IP directly (the baseline), interleaved, median of BENCH_LAB_NET_RUNS (9), as a ratio.
// Needs root and the test images. Traffic stays inside the lab's namespaces.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readState } from '../cli/lab/state.js';
import { podShell, webPod } from './lib/lab-pods.js';
import { check, writeReport } from './lib/report.js';
import { watchRule, type RuleWatch } from './lib/rule-watch.js';
import { repoRoot } from './lib/server-process.js';
import { summarize } from './lib/stats.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function waitFor(what: string, fn: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export async function runLabNetworkBench(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the lab network bench needs root');
  const root = repoRoot();
  const changes = Number(process.env.BENCH_LAB_NET_CHANGES ?? 100);
  const runs = Number(process.env.BENCH_LAB_NET_RUNS ?? 9);
  const mib = Number(process.env.BENCH_LAB_NET_MIB ?? 1024);
  const kinglet = (args: string[]) => execFileSync(process.execPath, [join(root, 'bin', 'kinglet'), ...args], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'inherit'] });
  execFileSync('bash', [join(root, 'scripts', 'images', 'build-test-images.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const base = mkdtempSync(join(os.tmpdir(), 'kinglet-labnet-bench-'));
  const dir = join(base, 'lab');
  const kubeconfig = join(dir, 'kubeconfig');
  const kc = (args: string[], input?: string) => execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', input, timeout: 120_000 });
  const watches: RuleWatch[] = [];
  const shell = podShell('client', 'node1', 'placeholder');
  let podWatch: ReturnType<typeof spawn> | undefined;
  try {
    kinglet(['lab', 'up', '--nodes', '3', '--dir', dir]);
    const registry = /^registry: (\S+)$/m.exec(kinglet(['lab', 'status', '--dir', dir]))![1]!;
    const image = `${registry}/kinglet-test/busybox:1`;
    const nodes = readState(dir)!.nodes;
    // (a) one pod, one Service; its readiness follows flag/ready
    const flag = join(base, 'flag');
    mkdirSync(flag);
    writeFileSync(join(flag, 'ready'), 'ok\n');
    kc(['apply', '-f', '-'], webPod('lat', 'node2', image, flag, 8080, 'lat'));
    const svc = (name: string, app: string, port: number, target: number) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app }, ports: [{ port, targetPort: target }] } });
    kc(['apply', '-f', '-'], svc('lat', 'lat', 80, 8080));
    kc(['wait', '--for=condition=Ready', 'pod/lat', '--timeout=90s']);
    const latIp = kc(['get', 'pod', 'lat', '-o', 'jsonpath={.status.podIP}']).trim();
    for (const n of nodes) watches.push(watchRule(n.netns, `--to-destination ${latIp}:8080`));
    let ready = { value: true, at: 0 };
    podWatch = spawn('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pod', 'lat', '-w', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}{"\\n"}'], { stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: podWatch.stdout! }).on('line', (line) => {
      const v = line.trim() === 'True';
      if (v !== ready.value) ready = { value: v, at: performance.now() };
    });
    await waitFor('rule on every node', () => watches.every((w) => w.present));
    const latencies: number[] = [];
    for (let i = 0; i < changes; i++) {
      unlinkSync(join(flag, 'ready'));
      await waitFor('not Ready and rule gone everywhere', () => !ready.value && watches.every((w) => !w.present));
      writeFileSync(join(flag, 'ready'), 'ok\n');
      await waitFor('Ready and rule everywhere', () => ready.value && watches.every((w) => w.present));
      latencies.push(Math.max(...watches.map((w) => w.appearedAt)) - ready.at);
    }
    const resolution = Math.max(...watches.map((w) => w.meanGapMs()));
    for (const w of watches) w.stop();
    // (b) a server writing mib MiB of zeros per connection, a client pod counting them
    const send = `printf '#!/bin/sh\\nexec dd if=/dev/zero bs=64k count=${mib * 16} 2>/dev/null\\n' > /tmp/send && chmod +x /tmp/send && exec nc -ll -p 9000 -e /tmp/send`;
    kc(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tput', labels: { app: 'tput' } }, spec: { nodeName: 'node2', terminationGracePeriodSeconds: 1, containers: [{ name: 'nc', image, command: ['sh', '-c', send] }] } }));
    kc(['apply', '-f', '-'], svc('tput', 'tput', 9000, 9000));
    kc(['apply', '-f', '-'], shell.manifest.replace('"placeholder"', JSON.stringify(image)));
    kc(['wait', '--for=condition=Ready', 'pod/tput', 'pod/client', '--timeout=90s']);
    const podIp = kc(['get', 'pod', 'tput', '-o', 'jsonpath={.status.podIP}']).trim();
    const vip = kc(['get', 'svc', 'tput', '-o', 'jsonpath={.spec.clusterIP}']).trim();
    // busybox dd here prints no byte count and no time; busybox `time` has 10 ms resolution, hence
    // transfers of seconds. The warm-up checks the byte count, each timed run nc's exit status.
    const bytes = (await shell.run(`nc ${podIp} 9000 </dev/null | wc -c`, 120_000)).out.trim();
    if (Number(bytes) !== mib * 1024 * 1024) throw new Error(`short transfer from ${podIp}: ${bytes} bytes`);
    const seconds = async (ip: string): Promise<number> => {
      const r = await shell.run(`time nc ${ip} 9000 </dev/null >/dev/null`, 120_000);
      const m = /real\s+(\d+)m\s*([\d.]+)s/.exec(r.out);
      if (r.code !== 0 || !m) throw new Error(`transfer from ${ip} failed (${r.code}): ${r.out}`);
      return Number(m[1]) * 60 + Number(m[2]);
    };
    const direct: number[] = [];
    const viaVip: number[] = [];
    // interleaved, and alternating which goes first, so drift and warm-up hit both alike
    for (let r = 0; r < runs; r++) {
      if (r % 2 === 0) direct.push(await seconds(podIp));
      viaVip.push(await seconds(vip));
      if (r % 2 === 1) direct.push(await seconds(podIp));
    }
    const mbps = (s: number) => Math.round((mib * 8 * 1.048576) / s);
    const ratio = Math.round((median(direct) / median(viaVip)) * 1000) / 1000;
    const l = summarize(latencies);
    const result = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      changes,
      observerResolutionMs: Math.round(resolution * 10) / 10,
      throughput: { mib, runs, directMbps: direct.map(mbps), clusterIpMbps: viaVip.map(mbps), medianDirectMbps: mbps(median(direct)), medianClusterIpMbps: mbps(median(viaVip)) },
      ratios: { clusterIpVsPodIp: ratio },
      ops: {
        'pod Ready (watch) → endpoint DNAT rule on all 3 nodes': { ...l, errors: 0 },
        [`baseline: ${mib} MiB pod→pod IP, node1→node2 (ms per transfer)`]: { ...summarize(direct.map((s) => s * 1000)), errors: 0 },
        [`${mib} MiB pod→ClusterIP, node1→node2 (ms per transfer)`]: { ...summarize(viaVip.map((s) => s * 1000)), errors: 0 },
      },
      checks: [check('network programming latency p99', l.p99, 200, 'ms'), { name: 'ClusterIP/pod IP throughput ratio (must be ≥ target)', measured: ratio, target: 0.95, unit: 'ratio', ratio: Math.round((0.95 / ratio) * 1000) / 1000, ok: ratio >= 0.95 }],
    };
    writeReport(process.env.BENCH_OUT ?? join(root, 'bench', 'results'), 'lab-network', result, [
      '# kinglet lab network benchmark',
      '',
      `${result.when} · ${result.machine.cpus} CPUs (${result.machine.model}) · Node ${process.version} · 3-node lab`,
      `Programming latency: ${changes} readiness flips of one pod on node2; from the Ready=True event on a pod watch to the pod's DNAT rule seen in all 3 nodes' nat tables (iptables-save every ~${result.observerResolutionMs} ms per node, the observer's resolution). p50 ${l.p50} ms, p99 ${l.p99} ms.`,
      `Throughput: ${mib} MiB per connection, client pod on node1, server pod on node2, ${runs} interleaved runs each; median pod IP ${result.throughput.medianDirectMbps} Mbit/s (baseline), ClusterIP ${result.throughput.medianClusterIpMbps} Mbit/s: ratio ${ratio} (target ≥ 0.95).`,
    ]);
    console.log(`lab network bench: programming p50 ${l.p50} ms p99 ${l.p99} ms (resolution ${result.observerResolutionMs} ms); ClusterIP/pod IP throughput ${ratio}`);
  } finally {
    for (const w of watches) w.stop();
    podWatch?.kill('SIGKILL');
    try {
      kinglet(['lab', 'down', '--dir', dir]);
    } catch {
      // best effort: the error that got us here matters more
    }
    shell.cleanup();
    rmSync(base, { recursive: true, force: true });
  }
}
