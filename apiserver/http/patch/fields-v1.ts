// Field sets of objects and their FieldsV1 wire form (metadata.managedFields[].fieldsV1).
import { isAtomicMap, itemKey, listStrategy } from './schema.js';
import {
  encodePath, decodePath, fieldElement, keyElement, valueElement, type FieldSet,
} from './field-path.js';
import { deepEqual, isObject, type JsonObject } from './util.js';

export type { FieldSet } from './field-path.js';

/**
 * Structs that always exist in Go's typed objects (non-pointer fields). A diff against a fresh
 * object therefore never "adds" them, so Kubernetes gives them no `.` marker; we mimic that.
 */
const ALWAYS_PRESENT = new Set([
  'metadata', 'spec', 'status', 'template', 'strategy', 'updateStrategy', 'jobTemplate', 'containers',
]);

/** The fields the apiserver never attributes to a manager. */
export function trackedView(obj: JsonObject | undefined, subresource?: string): JsonObject | undefined {
  if (!obj) return undefined;
  if (subresource === 'status') return obj.status === undefined ? {} : { status: obj.status };
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = obj;
  const view: JsonObject = { ...rest };
  if (isObject(metadata)) {
    const {
      name: _n, namespace: _ns, uid: _u, resourceVersion: _rv, generation: _g, creationTimestamp: _c,
      managedFields: _mf, selfLink: _sl, deletionTimestamp: _dt, deletionGracePeriodSeconds: _dg, generateName: _gn,
      ...meta
    } = metadata;
    if (Object.keys(meta).length > 0) view.metadata = meta;
  }
  return view;
}

/** Every field set by `obj` (structured-merge-diff's ToFieldSet), as an applied config owns them. */
export function fieldSetOf(obj: JsonObject, kindKey: string): FieldSet {
  const out: FieldSet = new Set();
  walkValue(obj, [], [], kindKey, out, true);
  return out;
}

function walkValue(v: unknown, path: string[], names: string[], kindKey: string, out: FieldSet, root = false): void {
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (!root && (keys.length === 0 || isAtomicMap(names, v))) {
      out.add(encodePath(path));
      return;
    }
    for (const k of keys) walkValue(v[k], [...path, fieldElement(k)], [...names, k], kindKey, out);
    return;
  }
  if (Array.isArray(v)) {
    const s = listStrategy(kindKey, names);
    if (s.type === 'atomic') {
      out.add(encodePath(path));
      return;
    }
    for (const item of v) {
      if (s.type === 'set') {
        out.add(encodePath([...path, valueElement(item)]));
        continue;
      }
      const key = itemKey(s, item);
      if (!key) continue; // unkeyed items cannot be addressed; validation rejects them elsewhere
      const itemPath = [...path, keyElement(key)];
      out.add(encodePath(itemPath));
      walkValue(item, itemPath, names, kindKey, out, true);
    }
    return;
  }
  out.add(encodePath(path));
}

/**
 * What a write changed: `changed` holds added and modified fields (the writer's new ownership,
 * with `.` markers for maps and list items it brought into existence); `removed` holds fields gone.
 */
export function diffFields(
  before: JsonObject | undefined,
  after: JsonObject,
  kindKey: string,
): { changed: FieldSet; removed: FieldSet } {
  const changed: FieldSet = new Set();
  const removed: FieldSet = new Set();
  diffValue(before, after, [], [], kindKey, changed, removed, true);
  return { changed, removed };
}

function diffValue(
  a: unknown, b: unknown, path: string[], names: string[], kindKey: string,
  changed: FieldSet, removed: FieldSet, root = false,
): void {
  if (deepEqual(a, b)) return;
  const here = encodePath(path);
  if (b === undefined) {
    removed.add(here);
    return;
  }
  if (isObject(b) && !isAtomicMap(names, b)) {
    const keys = Object.keys(b);
    if (!root && (!isObject(a) || keys.length === 0)) {
      if (keys.length === 0 || !ALWAYS_PRESENT.has(names[names.length - 1]!)) changed.add(here);
    }
    const old = isObject(a) ? a : {};
    for (const k of new Set([...Object.keys(old), ...keys])) {
      diffValue(old[k], b[k], [...path, fieldElement(k)], [...names, k], kindKey, changed, removed);
    }
    return;
  }
  if (Array.isArray(b) && Array.isArray(a)) {
    const s = listStrategy(kindKey, names);
    if (s.type === 'set') {
      for (const v of b) if (!a.some((x) => deepEqual(x, v))) changed.add(encodePath([...path, valueElement(v)]));
      for (const v of a) if (!b.some((x) => deepEqual(x, v))) removed.add(encodePath([...path, valueElement(v)]));
      return;
    }
    if (s.type === 'map') {
      const index = (list: unknown[]): Map<string, unknown> =>
        new Map(list.flatMap((it) => {
          const k = itemKey(s, it);
          return k ? [[keyElement(k), it] as [string, unknown]] : [];
        }));
      const ia = index(a);
      const ib = index(b);
      for (const [el, item] of ib) {
        const itemPath = [...path, el];
        if (!ia.has(el)) changed.add(encodePath(itemPath));
        diffValue(ia.get(el) ?? {}, item, itemPath, names, kindKey, changed, removed, true);
      }
      for (const el of ia.keys()) if (!ib.has(el)) removed.add(encodePath([...path, el]));
      return;
    }
  }
  if (Array.isArray(b) && a === undefined && listStrategy(kindKey, names).type !== 'atomic') {
    if (!root && !ALWAYS_PRESENT.has(names[names.length - 1]!)) changed.add(here);
    diffValue([], b, path, names, kindKey, changed, removed, root);
    return;
  }
  changed.add(here);
}

/** Serializes a field set to the FieldsV1 JSON tree (`.` marks a node owned in its own right). */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const members = new Set<Record<string, unknown>>();
  for (const encoded of set) {
    let node = root;
    for (const el of decodePath(encoded)) {
      node[el] ??= {};
      node = node[el] as Record<string, unknown>;
    }
    members.add(node);
  }
  const finish = (node: Record<string, unknown>): Record<string, unknown> => {
    const keys = Object.keys(node).sort(compareElements);
    const out: Record<string, unknown> = {};
    if (keys.length > 0 && members.has(node)) out['.'] = {};
    for (const k of keys) out[k] = finish(node[k] as Record<string, unknown>);
    return out;
  };
  return finish(root);
}

/** Parses a FieldsV1 tree back to a field set. */
export function fromFieldsV1(tree: unknown): FieldSet {
  const out: FieldSet = new Set();
  const walk = (node: unknown, path: string[]): void => {
    if (!isObject(node)) return;
    const keys = Object.keys(node);
    if (path.length > 0 && (keys.length === 0 || '.' in node)) out.add(encodePath(path));
    for (const k of keys) if (k !== '.') walk(node[k], [...path, k]);
  };
  walk(tree, []);
  return out;
}

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };
function compareElements(a: string, b: string): number {
  const r = (RANK[a[0]!] ?? 9) - (RANK[b[0]!] ?? 9);
  if (r !== 0) return r;
  return a < b ? -1 : a > b ? 1 : 0;
}
