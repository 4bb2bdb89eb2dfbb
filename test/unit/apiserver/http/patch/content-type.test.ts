import { describe, expect, it } from 'vitest';
import { patchTypeFromContentType } from '../../../../../apiserver/http/patch/index.js';

describe('patchTypeFromContentType', () => {
  it('maps the four patch media types, ignoring parameters and case', () => {
    expect(patchTypeFromContentType('application/json-patch+json')).toBe('json');
    expect(patchTypeFromContentType('application/merge-patch+json; charset=utf-8')).toBe('merge');
    expect(patchTypeFromContentType('Application/Strategic-Merge-Patch+JSON')).toBe('strategic');
    expect(patchTypeFromContentType('application/apply-patch+yaml')).toBe('apply');
  });
  it('returns undefined for anything else', () => {
    expect(patchTypeFromContentType(undefined)).toBeUndefined();
    expect(patchTypeFromContentType('application/json')).toBeUndefined();
    expect(patchTypeFromContentType('')).toBeUndefined();
  });
});
