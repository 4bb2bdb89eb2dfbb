import { describe, expect, it } from 'vitest';
import { bulk, pace } from '../../../../bench/lib/pacer.js';

describe('pace', () => {
  it('starts qps × duration operations without waiting for slow ones', async () => {
    const starts: number[] = [];
    const t0 = performance.now();
    const r = await pace({ qps: 100, durationMs: 200, maxInFlight: 100 }, async () => {
      starts.push(performance.now() - t0);
      await new Promise((res) => setTimeout(res, 50)); // slower than the 10 ms interval
    });
    expect(r.started).toBe(20);
    expect(r.skipped).toBe(0);
    expect(starts.at(-1)!).toBeLessThan(190 + 60); // open loop: the last one starts near 190 ms
  });

  it('skips ticks beyond maxInFlight', async () => {
    const r = await pace({ qps: 200, durationMs: 100, maxInFlight: 2 }, () => new Promise((res) => setTimeout(res, 500)));
    expect(r.started).toBe(2);
    expect(r.skipped).toBe(18);
  });
});

describe('bulk', () => {
  it('runs every index once with bounded concurrency and counts failures', async () => {
    const seen: number[] = [];
    let active = 0;
    let peak = 0;
    const failures = await bulk(50, 4, async (i) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((res) => setTimeout(res, 1));
      active--;
      seen.push(i);
      if (i % 10 === 0) throw new Error('boom');
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(peak).toBeLessThanOrEqual(4);
    expect(failures).toBe(5);
  });
});
