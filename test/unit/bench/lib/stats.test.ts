import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../../../bench/lib/stats.js';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(s, 50)).toBe(50);
    expect(percentile(s, 99)).toBe(99);
    expect(percentile(s, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });
  it('is NaN for no samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts unsorted samples and rounds to 0.01 ms', () => {
    const s = summarize([3.333, 1, 2]);
    expect(s).toEqual({ n: 3, p50: 2, p99: 3.33, max: 3.33, mean: 2.11 });
  });
});
