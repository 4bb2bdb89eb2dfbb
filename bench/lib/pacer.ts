// Open-loop load at a fixed rate: an operation is started every 1000/qps ms whether or not earlier
// ones finished, so slow responses show up as latency instead of silently lowering the rate.
// Bounded by duration and by a cap on operations in flight (beyond it a tick is counted as skipped).

export interface PaceOptions {
  qps: number;
  durationMs: number;
  maxInFlight: number;
}

export interface PaceResult {
  started: number;
  skipped: number;
  elapsedMs: number;
}

export async function pace(opts: PaceOptions, op: (tick: number) => Promise<void>): Promise<PaceResult> {
  const interval = 1000 / opts.qps;
  const total = Math.floor((opts.durationMs / 1000) * opts.qps);
  const t0 = performance.now();
  const running = new Set<Promise<void>>();
  let skipped = 0;
  let started = 0;
  for (let tick = 0; tick < total; tick++) {
    const due = t0 + tick * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (running.size >= opts.maxInFlight) {
      skipped++;
      continue;
    }
    const p = op(tick).catch(() => undefined).finally(() => running.delete(p));
    running.add(p);
    started++;
  }
  await Promise.all(running);
  return { started, skipped, elapsedMs: performance.now() - t0 };
}

/** Runs op for items 0..count-1 with a fixed number of concurrent workers (bulk loading). */
export async function bulk(count: number, concurrency: number, op: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      try {
        await op(i);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}
