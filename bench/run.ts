// `npm run bench`: runs the benchmarks from dist/ (build first). Settings come from the environment:
// BENCH_PODS, BENCH_NS_PODS, BENCH_QPS, BENCH_SECONDS, BENCH_OUT, BENCH_ONLY (apiserver | pod-start | proxy-sync),
// BENCH_PROXY_SIZES, BENCH_PROXY_CHANGES, BENCH_PROXY_TIMEOUT_S.
import { runApiserverBench } from './apiserver-bench.js';
import { runPodStartBench } from './pod-start-bench.js';
import { runProxySyncBench } from './proxy-sync-bench.js';

// BENCH_ONLY=apiserver|pod-start|proxy-sync runs one of them
const only = process.env.BENCH_ONLY;
(async () => {
  if (!only || only === 'apiserver') await runApiserverBench();
  if (!only || only === 'pod-start') await runPodStartBench();
  if (!only || only === 'proxy-sync') await runProxySyncBench();
})().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
