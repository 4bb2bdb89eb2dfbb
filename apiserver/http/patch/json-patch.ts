// RFC 6902 JSON Patch (kubectl rollout undo, client-node's default patch type).
import jsonpatch from 'fast-json-patch';
import { ApiError } from '../../../lib/errors.js';
import type { KubeObject } from '../../../api/types.js';

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function validateShape(ops: unknown): jsonpatch.Operation[] {
  if (!Array.isArray(ops)) {
    throw new ApiError('BadRequest', 'json patch must be a JSON array of operations');
  }
  ops.forEach((op, i) => {
    if (typeof op !== 'object' || op === null || Array.isArray(op)) {
      throw new ApiError('BadRequest', `json patch operation ${i} is not an object`);
    }
    const o = op as Record<string, unknown>;
    if (typeof o.op !== 'string' || !OPS.has(o.op)) {
      throw new ApiError('BadRequest', `json patch operation ${i}: unsupported op ${JSON.stringify(o.op)}`);
    }
    if (typeof o.path !== 'string') {
      throw new ApiError('BadRequest', `json patch operation ${i} (${o.op}): missing "path"`);
    }
    if ((o.op === 'move' || o.op === 'copy') && typeof o.from !== 'string') {
      throw new ApiError('BadRequest', `json patch operation ${i} (${o.op}): missing "from"`);
    }
    if ((o.op === 'add' || o.op === 'replace' || o.op === 'test') && !('value' in o)) {
      throw new ApiError('BadRequest', `json patch operation ${i} (${o.op}): missing "value"`);
    }
  });
  return ops as jsonpatch.Operation[];
}

/** Applies a JSON Patch to a copy of `original`; malformed ops → 400, ops that do not apply → 422. */
export function applyJsonPatch(original: KubeObject, ops: unknown): KubeObject {
  const operations = structuredClone(validateShape(ops));
  const doc = structuredClone(original);
  try {
    const result = jsonpatch.applyPatch(doc, operations, true, true, true);
    const out = result.newDocument as unknown;
    if (typeof out !== 'object' || out === null || Array.isArray(out)) {
      throw new ApiError('Invalid', 'json patch result is not an object');
    }
    return out as KubeObject;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (e instanceof jsonpatch.JsonPatchError) {
      const op = e.operation as { op?: string; path?: string } | undefined;
      const where = op ? ` (${op.op} ${op.path})` : '';
      if (e.name === 'TEST_OPERATION_FAILED') {
        throw new ApiError('Invalid', `the server rejected our request due to an error in our request: testing value ${op?.path ?? ''} failed`);
      }
      const reason = e.name.startsWith('OPERATION_') && /INVALID|REQUIRED|NOT_AN|SEQUENCE|UNDEFINED/.test(e.name)
        ? 'BadRequest'
        : 'Invalid';
      throw new ApiError(reason, `json patch operation ${e.index ?? '?'}${where} failed: ${firstLine(e.message)}`);
    }
    throw new ApiError('BadRequest', `json patch failed: ${(e as Error).message}`);
  }
}

const firstLine = (s: string): string => s.split('\n')[0]!;
