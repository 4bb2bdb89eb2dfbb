import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch } from '../../../../../apiserver/http/patch/index.js';
import { ApiError } from '../../../../../lib/errors.js';
import { deployment } from './fixtures.js';

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('applyJsonPatch', () => {
  it('adds, replaces and removes without mutating the input', () => {
    const d = deployment();
    const before = structuredClone(d);
    const out = applyJsonPatch(d, [
      { op: 'add', path: '/metadata/labels/new', value: 'x' },
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'remove', path: '/metadata/labels/tier' },
      { op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'C', value: '3' } },
    ]);
    expect(out.metadata.labels).toEqual({ app: 'web', new: 'x' });
    expect(out.spec.replicas).toBe(5);
    expect(out.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)).toEqual(['A', 'B', 'C']);
    expect(d).toEqual(before);
  });

  it('passes a successful test op and rejects a failing one with 422 Invalid', () => {
    const d = deployment();
    expect(applyJsonPatch(d, [{ op: 'test', path: '/spec/replicas', value: 2 }]).spec.replicas).toBe(2);
    const err = errorOf(() => applyJsonPatch(d, [
      { op: 'test', path: '/spec/replicas', value: 3 },
      { op: 'replace', path: '/spec/replicas', value: 9 },
    ]));
    expect(err.reason).toBe('Invalid');
    expect(err.code).toBe(422);
    expect(err.message).toContain('/spec/replicas');
    expect(d.spec.replicas).toBe(2);
  });

  it('rejects malformed operations as BadRequest', () => {
    const d = deployment();
    expect(errorOf(() => applyJsonPatch(d, { op: 'add' })).reason).toBe('BadRequest');
    expect(errorOf(() => applyJsonPatch(d, [{ op: 'frob', path: '/a' }])).reason).toBe('BadRequest');
    expect(errorOf(() => applyJsonPatch(d, [{ op: 'add', path: '/a' }])).reason).toBe('BadRequest');
    expect(errorOf(() => applyJsonPatch(d, [{ op: 'copy', path: '/a' }])).reason).toBe('BadRequest');
  });

  it('reports an unresolvable path as Invalid', () => {
    const err = errorOf(() => applyJsonPatch(deployment(), [{ op: 'replace', path: '/spec/nope/x', value: 1 }]));
    expect(err.reason).toBe('Invalid');
  });
});

describe('applyMergePatch', () => {
  it('merges maps, deletes on null, replaces lists', () => {
    const d = deployment();
    const out = applyMergePatch(d, {
      metadata: { labels: { tier: null, env: 'prod' } },
      spec: { replicas: 4, template: { spec: { containers: [{ name: 'only', image: 'x' }] } } },
    });
    expect(out.metadata.labels).toEqual({ app: 'web', env: 'prod' });
    expect(out.spec.replicas).toBe(4);
    expect(out.spec.template.spec.containers).toEqual([{ name: 'only', image: 'x' }]);
    expect(d.metadata.labels).toEqual({ app: 'web', tier: 'front' });
  });
  it('rejects a non-object patch', () => {
    expect(errorOf(() => applyMergePatch(deployment(), [1])).reason).toBe('BadRequest');
  });
});
