// `npm run bench`: runs the benchmarks from dist/ (build first). Settings come from the environment:
// BENCH_PODS, BENCH_NS_PODS, BENCH_QPS, BENCH_SECONDS, BENCH_OUT, BENCH_ONLY (apiserver | pod-start | dns).
import { runApiserverBench } from './apiserver-bench.js';
import { runPodStartBench } from './pod-start-bench.js';
import { runDnsBench } from './dns-bench.js';

// BENCH_ONLY=apiserver|pod-start runs one of them
const only = process.env.BENCH_ONLY;
(async () => {
  if (!only || only === 'apiserver') await runApiserverBench();
  if (!only || only === 'pod-start') await runPodStartBench();
  if (!only || only === 'dns') await runDnsBench();
})().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
