// RFC 7386 JSON Merge Patch (kubectl label/annotate/scale).
import { ApiError } from '../../../lib/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { clone, isObject } from './util.js';

function merge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

/** Applies a merge patch to a copy of `original`; the patch must be a JSON object. */
export function applyMergePatch(original: KubeObject, patch: unknown): KubeObject {
  if (!isObject(patch)) throw new ApiError('BadRequest', 'merge patch must be a JSON object');
  return merge(clone(original), patch) as KubeObject;
}
