import { describe, expect, it } from 'vitest';
import { prefixUpperBound } from '../../../../apiserver/store/sqlite-schema.js';

describe('prefixUpperBound', () => {
  it('bumps the last code point', () => {
    expect(prefixUpperBound('/registry/pods/')).toBe('/registry/pods0');
    expect(prefixUpperBound('a')).toBe('b');
  });
  it('has no bound for the empty prefix', () => {
    expect(prefixUpperBound('')).toBeUndefined();
  });
  it('carries past the maximum code point and skips surrogates', () => {
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\u{10FFFF}')).toBeUndefined();
    expect(prefixUpperBound('a\uD7FF')).toBe('a\uE000');
  });
});
