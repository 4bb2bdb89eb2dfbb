import { describe, expect, it } from 'vitest';
import { Backoff, KeyedBackoff, backoffDelay } from '../../../lib/backoff.js';

describe('backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const b = new Backoff({ initialMs: 5, maxMs: 30 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([5, 10, 20, 30, 30]);
    b.reset();
    expect(b.next()).toBe(5);
  });

  it('never overflows for huge attempt counts', () => {
    expect(backoffDelay(5000, { initialMs: 5, maxMs: 1_000_000 })).toBe(1_000_000);
  });

  it('adds jitter within the cap', () => {
    expect(backoffDelay(0, { initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 1 })).toBe(150);
    expect(backoffDelay(10, { initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 1 })).toBe(1000);
  });

  it('keeps per-key failure counts', () => {
    const k = new KeyedBackoff({ initialMs: 1, maxMs: 100 });
    expect(k.next('a')).toBe(1);
    expect(k.next('a')).toBe(2);
    expect(k.next('b')).toBe(1);
    expect(k.attempts('a')).toBe(2);
    k.forget('a');
    expect(k.next('a')).toBe(1);
  });
});
