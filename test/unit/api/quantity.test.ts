import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpu, isValidQuantity, parseQuantity, quantityError, QUANTITY_FORMAT_ERROR } from '../../../api/quantity.js';

describe('quantities', () => {
  it.each([
    ['100m', 0.1],
    ['0.5', 0.5],
    ['1', 1],
    ['1Gi', 1073741824],
    ['512Mi', 536870912],
    ['1Ki', 1024],
    ['1e3', 1000],
    ['1E3', 1000],
    ['2k', 2000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1E', 1e18],
    ['250u', 0.00025],
    ['.5', 0.5],
    ['-1', -1],
    ['+2', 2],
  ])('%s → %d', (s, n) => {
    expect(parseQuantity(s)).toBeCloseTo(n, 12);
    expect(isValidQuantity(s)).toBe(true);
  });

  it('rejects malformed quantities', () => {
    for (const s of ['', 'abc', '1Gb', '1 Gi', 'Gi', '1.2.3', '1e', '1Kii', ' 1']) expect(isValidQuantity(s)).toBe(false);
    expect(quantityError('abc')).toBe(QUANTITY_FORMAT_ERROR);
    expect(() => parseQuantity('abc')).toThrow();
  });

  it('accepts JSON numbers', () => {
    expect(parseQuantity(2)).toBe(2);
  });

  it('formats', () => {
    expect(formatCpu(0.25)).toBe('250m');
    expect(formatCpu(2)).toBe('2');
    expect(formatBytes(1073741824)).toBe('1Gi');
    expect(formatBytes(1000)).toBe('1000');
  });
});
