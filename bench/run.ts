// `npm run bench`: runs the benchmarks from dist/ (build first). Settings come from the environment:
// BENCH_PODS, BENCH_NS_PODS, BENCH_QPS, BENCH_SECONDS, BENCH_OUT.
import { runApiserverBench } from './apiserver-bench.js';

runApiserverBench().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
