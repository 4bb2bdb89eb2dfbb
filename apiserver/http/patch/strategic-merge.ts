// Strategic merge patch, as kubectl's client-side apply / edit / patch send it. The directives
// ($patch, $setElementOrder/, $retainKeys, $deleteFromPrimitiveList/) never reach the stored object.
import { ApiError } from '../../../lib/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { listStrategy, type ListStrategy } from './schema.js';
import { clone, deepEqual, isObject, type JsonObject } from './util.js';

const ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';
const RETAIN = '$retainKeys';
const PATCH = '$patch';

/** Applies a strategic merge patch to a copy of `original`. kindKey is `${apiVersion}/${kind}`. */
export function applyStrategicMergePatch(original: KubeObject, patch: unknown, kindKey: string): KubeObject {
  if (!isObject(patch)) throw new ApiError('BadRequest', 'strategic merge patch must be a JSON object');
  const out = mergeMap(clone(original) as JsonObject, patch, [], kindKey);
  if (out === undefined) throw new ApiError('BadRequest', 'strategic merge patch cannot delete the whole object');
  return out as KubeObject;
}

function mergeMap(orig: JsonObject | undefined, patch: JsonObject, names: string[], kindKey: string): JsonObject | undefined {
  const directive = patch[PATCH];
  if (directive === 'delete') return undefined;
  if (directive !== undefined && directive !== 'replace' && directive !== 'merge') {
    throw new ApiError('BadRequest', `unknown patch type: ${String(directive)} in map at ${names.join('.') || '<root>'}`);
  }
  // `$patch: replace` means: the patch (minus directives) is the whole new value.
  const out: JsonObject = directive === 'replace' || !orig ? {} : { ...orig };

  const retain = patch[RETAIN];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new ApiError('BadRequest', `${RETAIN} must be a list at ${names.join('.')}`);
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }

  for (const [key, value] of Object.entries(patch)) {
    if (key === PATCH || key === RETAIN || key.startsWith(ORDER)) continue;
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      if (!Array.isArray(value)) throw new ApiError('BadRequest', `${key} must be a list`);
      const cur = out[field];
      if (Array.isArray(cur)) out[field] = cur.filter((x) => !value.some((d) => deepEqual(d, x)));
      continue;
    }
    const childNames = [...names, key];
    if (value === null) {
      delete out[key];
    } else if (Array.isArray(value)) {
      out[key] = mergeList(out[key], value, childNames, kindKey);
    } else if (isObject(value)) {
      const merged = mergeMap(isObject(out[key]) ? (out[key] as JsonObject) : undefined, value, childNames, kindKey);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else {
      out[key] = value;
    }
  }

  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(ORDER)) continue;
    const field = key.slice(ORDER.length);
    if (!Array.isArray(order)) throw new ApiError('BadRequest', `${key} must be a list`);
    const cur = out[field];
    if (Array.isArray(cur)) out[field] = applyOrder(cur, order, listStrategy(kindKey, [...names, field]));
  }
  return out;
}

function mergeList(orig: unknown, patch: unknown[], names: string[], kindKey: string): unknown[] {
  const strategy = listStrategy(kindKey, names);
  const origList = Array.isArray(orig) ? orig : [];
  if (strategy.type === 'set') {
    const out = [...origList];
    for (const v of patch) if (!out.some((x) => deepEqual(x, v))) out.push(clone(v));
    return out;
  }
  if (strategy.type === 'atomic') {
    return patch.map((el) => (isObject(el) ? (mergeMap(undefined, el, names, kindKey) ?? {}) : clone(el)));
  }
  const key = strategy.mergeKey;
  const replace = patch.some((el) => isObject(el) && el[PATCH] === 'replace' && Object.keys(el).length === 1);
  let out: unknown[] = replace ? [] : [...origList];
  for (const el of patch) {
    if (!isObject(el)) throw new ApiError('BadRequest', `list ${names.join('.')} merges by "${key}" but has a non-object item`);
    if (el[PATCH] === 'replace' && Object.keys(el).length === 1) continue;
    if (el[key] === undefined) {
      throw new ApiError('BadRequest', `map: ${JSON.stringify(el)} does not contain declared merge key: ${key}`);
    }
    const idx = out.findIndex((x) => isObject(x) && deepEqual(x[key], el[key]));
    if (el[PATCH] === 'delete') {
      out = out.filter((x) => !(isObject(x) && deepEqual(x[key], el[key])));
      continue;
    }
    const merged = mergeMap(idx >= 0 ? (out[idx] as JsonObject) : undefined, el, names, kindKey);
    if (merged === undefined) continue;
    if (idx >= 0) out[idx] = merged;
    else out.push(merged);
  }
  return out;
}

/**
 * `$setElementOrder/<list>`: items named in the order list come first in that order; items the
 * patch did not mention (server-only) follow in their current order.
 */
function applyOrder(list: unknown[], order: unknown[], strategy: ListStrategy): unknown[] {
  const identity = (x: unknown): unknown =>
    strategy.type === 'map' && isObject(x) ? x[strategy.mergeKey] : x;
  const wanted = order.map(identity);
  const pos = (x: unknown): number => wanted.findIndex((w) => deepEqual(w, identity(x)));
  const ordered = list.filter((x) => pos(x) >= 0).sort((a, b) => pos(a) - pos(b));
  return [...ordered, ...list.filter((x) => pos(x) < 0)];
}
