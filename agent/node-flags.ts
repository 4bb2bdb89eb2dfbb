// The Node/V8 flags every `kinglet agent` process runs with: scripts/up.sh, the lab, the e2e helper
// and the pod-start bench all start it as `node ${AGENT_NODE_FLAGS} bin/kinglet agent ...` (up.sh
// spells them out in shell). Both trade resident memory an agent does not need for no speed it
// needs (measured by bench/pod-start-bench.ts, see bench/results/pod-start.md):
// - --max-semi-space-size=2: V8 grows each young-generation semi-space to 16 MiB by default.
// - --no-concurrent-recompilation: TurboFan optimizes on the main thread instead of V8's worker
//   threads. Its zone memory, freed on a worker, stays in that thread's malloc arena (glibc does
//   not hand it back): 5-8 MiB of an idle agent's RSS. The agent's hot code is small, so the few
//   optimizations it does are short main-thread pauses; CPU time and pod start latency unchanged.
export const AGENT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--no-concurrent-recompilation'];
