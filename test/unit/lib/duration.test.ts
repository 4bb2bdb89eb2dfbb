import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../lib/duration.js';

describe('parseDuration', () => {
  it.each([
    ['40s', 40_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['24h', 86_400_000],
    ['500ms', 500],
    ['1m30s500ms', 90_500],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['0', 0],
    ['-2s', -2000],
    ['1500us', 1.5],
    [' 10s ', 10_000],
  ])('%s → %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['', '40', 'abc', '10x', '5m3', 's', '1h 30m', '-', '1.2.3s'])('rejects %j', (input) => {
    expect(() => parseDuration(input)).toThrow(/invalid duration/);
  });

  it('names the offending input and says what is missing', () => {
    expect(() => parseDuration('40')).toThrow('invalid duration "40": missing unit');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [40_000, '40s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [5_400_500, '1h30m0.5s'],
  ])('%d → %s', (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [500, 40_000, 90_000, 3_600_000, 5_400_500]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
