import { describe, expect, it } from 'vitest';
import { computeHash, equalIgnoreHash, fnv32a, safeEncode } from '../../../../apiserver/controllers/pod-template-hash.js';

const tpl = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image, resources: {} }] } });

describe('pod-template-hash', () => {
  it('fnv32a matches the reference vectors', () => {
    expect(fnv32a('')).toBe(0x811c9dc5);
    expect(fnv32a('a')).toBe(0xe40c292c);
    expect(fnv32a('foobar')).toBe(0xbf9cf968);
  });

  it('spells the decimal hash in the safe alphabet (no vowels)', () => {
    const h = computeHash(tpl('x:1'));
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    // rand.SafeEncodeString maps each byte modulo the 27-letter alphabet
    expect(safeEncode('0123456789')).toBe('456789bcdf');
  });

  it('is stable, changes with the template and the collision count, ignores its own label', () => {
    expect(computeHash(tpl('x:1'))).toBe(computeHash(tpl('x:1')));
    expect(computeHash(tpl('x:1'))).not.toBe(computeHash(tpl('x:2')));
    expect(computeHash(tpl('x:1'), 1)).not.toBe(computeHash(tpl('x:1')));
    const labelled = tpl('x:1');
    (labelled.metadata.labels as Record<string, string>)['pod-template-hash'] = 'abc';
    expect(computeHash(labelled)).toBe(computeHash(tpl('x:1')));
  });

  it('treats the null/empty fields rollout undo sends as absent', () => {
    const sent = { metadata: { creationTimestamp: null, labels: { app: 'web', 'pod-template-hash': 'zz' } }, spec: { containers: [{ image: 'x:1', name: 'c', resources: {} }] } };
    expect(equalIgnoreHash(sent, tpl('x:1'))).toBe(true);
    expect(equalIgnoreHash(sent, tpl('x:2'))).toBe(false);
  });
});
