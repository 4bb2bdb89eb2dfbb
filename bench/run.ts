// `npm run bench`: runs the benchmarks from dist/ (build first). Settings come from the environment:
// BENCH_PODS, BENCH_NS_PODS, BENCH_QPS, BENCH_SECONDS, BENCH_OUT, and BENCH_ONLY — a comma-separated
// list of the names below (default: all, in this order); proxy-sync also reads BENCH_PROXY_SIZES,
// BENCH_PROXY_CHANGES, BENCH_PROXY_TIMEOUT_S.
import { runApiserverBench } from './apiserver-bench.js';
import { runControllersBench } from './controllers-bench.js';
import { runDnsBench } from './dns-bench.js';
import { runLabBench } from './lab-bench.js';
import { runLabNetworkBench } from './lab-network-bench.js';
import { runLabRolloutBench } from './lab-rollout-bench.js';
import { runPodStartBench } from './pod-start-bench.js';
import { runProbesBench } from './probes-bench.js';
import { runProxySyncBench } from './proxy-sync-bench.js';

const BENCHES: Array<[string, () => Promise<unknown>]> = [
  ['apiserver', runApiserverBench],
  ['pod-start', runPodStartBench],
  ['probes', runProbesBench],
  ['controllers', runControllersBench],
  ['dns', runDnsBench],
  ['proxy-sync', runProxySyncBench],
  ['lab', runLabBench],
  ['lab-network', runLabNetworkBench],
  ['lab-rollout', runLabRolloutBench],
];

const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;
const unknown = [...(only ?? [])].filter((n) => !BENCHES.some(([name]) => name === n));
if (unknown.length) {
  console.error(`unknown BENCH_ONLY name(s): ${unknown.join(', ')}; known: ${BENCHES.map(([n]) => n).join(', ')}`);
  process.exit(2);
}
(async () => {
  for (const [name, run] of BENCHES) if (!only || only.has(name)) await run();
})().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
