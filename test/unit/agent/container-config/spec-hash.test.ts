import { describe, expect, it } from 'vitest';
import { canonicalJson, specHash } from '../../../../agent/container-config/spec-hash.js';

describe('specHash', () => {
  it('is independent of key order and undefined fields', () => {
    const a = { name: 'c', image: 'x', env: [{ name: 'A', value: '1' }], resources: { limits: { cpu: '1', memory: '1Gi' } } };
    const b = { resources: { limits: { memory: '1Gi', cpu: '1' } }, env: [{ value: '1', name: 'A' }], image: 'x', name: 'c', workingDir: undefined };
    expect(specHash(a)).toBe(specHash(b));
    expect(specHash(a)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with any spec change, including list order', () => {
    const a = { name: 'c', image: 'x', args: ['1', '2'] };
    expect(specHash(a)).not.toBe(specHash({ ...a, image: 'y' }));
    expect(specHash(a)).not.toBe(specHash({ ...a, args: ['2', '1'] }));
  });

  it('is stable across runs (fixed value)', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 's'] })).toBe('{"a":[true,null,"s"],"b":1}');
    // sha256('{"image":"busybox","name":"c"}'): a changed algorithm would recreate every container
    expect(specHash({ name: 'c', image: 'busybox' })).toBe('670135950767a006');
  });
});
