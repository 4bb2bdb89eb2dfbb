// metadata.managedFields bookkeeping for ordinary writes (create / update / patch), and the entry
// model shared with server-side apply.
import type { KubeObject, ManagedFieldsEntry } from '../../../api/types.js';
import { diffFields, fromFieldsV1, toFieldsV1, trackedView } from './fields-v1.js';
import { removeSubtrees, type FieldSet } from './field-path.js';
import type { JsonObject } from './util.js';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
  /**
   * The wire tree this entry was parsed from and a copy of its set: when the set ends up unchanged
   * the tree is reused instead of rebuilt (most writes touch one manager's entry, and rebuilding
   * every entry's FieldsV1 on every write was a large share of a write's CPU).
   */
  parsed?: { fieldsV1: Record<string, unknown>; set: FieldSet };
}

const sameSet = (a: FieldSet, b: FieldSet): boolean => {
  if (a.size !== b.size) return false;
  for (const p of a) if (!b.has(p)) return false;
  return true;
};

export function parseEntries(list: ManagedFieldsEntry[] | undefined): ManagerEntry[] {
  if (!Array.isArray(list)) return [];
  return list.map((e) => {
    const set = fromFieldsV1(e.fieldsV1 ?? {});
    const entry: ManagerEntry = {
      manager: e.manager ?? '',
      operation: e.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: e.apiVersion,
      time: e.time,
      subresource: e.subresource || undefined,
      set,
    };
    if (e.fieldsV1 && typeof e.fieldsV1 === 'object') entry.parsed = { fieldsV1: e.fieldsV1 as Record<string, unknown>, set: new Set(set) };
    return entry;
  });
}

/** Back to the wire form; managers left owning nothing disappear, as in Kubernetes. */
export function serializeEntries(entries: ManagerEntry[]): ManagedFieldsEntry[] {
  return entries
    .filter((e) => e.set.size > 0)
    .map((e) => {
      const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation };
      if (e.apiVersion !== undefined) out.apiVersion = e.apiVersion;
      if (e.time !== undefined) out.time = e.time;
      out.fieldsType = 'FieldsV1';
      out.fieldsV1 = e.parsed && sameSet(e.set, e.parsed.set) ? e.parsed.fieldsV1 : toFieldsV1(e.set);
      if (e.subresource) out.subresource = e.subresource;
      return out;
    });
}

export const sameEntry = (e: ManagerEntry, manager: string, operation: string, subresource?: string): boolean =>
  e.manager === manager && e.operation === operation && (e.subresource ?? '') === (subresource ?? '');

export interface UpdateOptions {
  manager: string;
  operation: 'Update';
  kindKey: string;
  now: string;
  apiVersion: string;
  subresource?: string;
}

/**
 * Records a non-apply write: the fields it added or changed become the manager's (and stop being
 * anyone else's); fields it removed stop being anyone's. Mutates updated.metadata.managedFields.
 */
export function updateManagedFields(old: KubeObject | undefined, updated: KubeObject, opts: UpdateOptions): void {
  const before = trackedView(old as JsonObject | undefined, opts.subresource);
  const after = trackedView(updated as JsonObject, opts.subresource) ?? {};
  const { changed, removed } = diffFields(before, after, opts.kindKey);
  const entries = parseEntries(old ? old.metadata.managedFields : undefined);

  for (const e of entries) {
    removeSubtrees(e.set, removed);
    if (!sameEntry(e, opts.manager, 'Update', opts.subresource)) for (const p of changed) e.set.delete(p);
  }
  if (changed.size > 0) {
    let mine = entries.find((e) => sameEntry(e, opts.manager, 'Update', opts.subresource));
    if (!mine) {
      mine = { manager: opts.manager, operation: 'Update', subresource: opts.subresource, set: new Set() };
      entries.push(mine);
    }
    for (const p of changed) mine.set.add(p);
    mine.apiVersion = opts.apiVersion;
    mine.time = opts.now;
  }
  const serialized = serializeEntries(entries);
  if (serialized.length > 0) updated.metadata.managedFields = serialized;
  else delete updated.metadata.managedFields;
}
