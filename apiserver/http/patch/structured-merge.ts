// The merge server-side apply performs: maps merge, keyed lists merge item by item, sets union,
// everything else (scalars, atomic lists, label selectors) is replaced by the applied value.
import { isAtomicMap, itemKey, listStrategy } from './schema.js';
import { decodePath, keyElement, valueElement } from './field-path.js';
import { clone, deepEqual, isObject, type JsonObject } from './util.js';

/** Merges `applied` into a copy of `live`. */
export function structuredMerge(live: unknown, applied: unknown, names: string[], kindKey: string): unknown {
  if (isObject(applied) && !(names.length > 0 && isAtomicMap(names, applied))) {
    const out: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) {
      // An explicit null in an applied config asks for the field to be unset.
      if (v === null) delete out[k];
      else out[k] = structuredMerge(out[k], v, [...names, k], kindKey);
    }
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const s = listStrategy(kindKey, names);
    if (s.type === 'set') {
      const out = [...live];
      for (const v of applied) if (!out.some((x) => deepEqual(x, v))) out.push(clone(v));
      return out;
    }
    if (s.type === 'map') {
      const out = [...live];
      for (const item of applied) {
        const key = itemKey(s, item);
        const idx = key ? out.findIndex((x) => deepEqual(itemKey(s, x), key)) : -1;
        if (idx >= 0) out[idx] = structuredMerge(out[idx], item, names, kindKey);
        else out.push(clone(item));
      }
      return out;
    }
  }
  return clone(applied);
}

/** Deletes the field at an encoded path (see field-path.ts) from `obj` in place; missing is fine. */
export function removePath(obj: JsonObject, encoded: string, kindKey: string): void {
  const elements = decodePath(encoded);
  let node: unknown = obj;
  const names: string[] = [];
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i]!;
    const last = i === elements.length - 1;
    if (el.startsWith('f:')) {
      if (!isObject(node)) return;
      const name = el.slice(2);
      names.push(name);
      if (last) {
        delete node[name];
        return;
      }
      node = node[name];
      continue;
    }
    if (!Array.isArray(node)) return;
    const list = node;
    const s = listStrategy(kindKey, names);
    let idx = -1;
    if (el.startsWith('k:') && s.type === 'map') idx = list.findIndex((x) => { const k = itemKey(s, x); return k !== undefined && keyElement(k) === el; });
    else if (el.startsWith('v:')) idx = list.findIndex((x) => valueElement(x) === el);
    else if (el.startsWith('i:')) idx = Number(el.slice(2));
    if (idx < 0 || idx >= list.length) return;
    if (last) {
      list.splice(idx, 1);
      return;
    }
    node = list[idx];
  }
}
