// Server-side apply (PATCH application/apply-patch+yaml): the applied config is the manager's
// complete intent. Its field set becomes the manager's Apply entry; fields it changes that other
// managers own are conflicts; fields it applied before and dropped now (owned by nobody else) go.
import { ApiError, type FieldCause } from '../../../lib/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { diffFields, fieldSetOf, trackedView } from './fields-v1.js';
import { decodePath, encodePath, formatPath, isAtOrBelow, ownsAtOrBelow, removeSubtrees, type FieldSet } from './field-path.js';
import { parseEntries, sameEntry, serializeEntries, type ManagerEntry } from './managed-fields.js';
import { removePath, structuredMerge } from './structured-merge.js';
import { clone, isObject, type JsonObject } from './util.js';

export interface ApplyOptions {
  manager: string;
  force: boolean;
  kindKey: string;
  now: string;
  apiVersion: string;
}

/** kubectl's client-side apply records its last-applied annotation under this manager; never a conflict. */
const LAST_APPLIED_MANAGER = 'kubectl-last-applied';

export function applyServerSide(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): KubeObject {
  if (!isObject(applied) || !isObject(applied.metadata)) {
    throw new ApiError('BadRequest', 'apply patch must be an object with metadata');
  }
  const config = clone(applied);
  delete config.metadata.managedFields;
  const appliedSet = fieldSetOf(trackedView(config as JsonObject) ?? {}, opts.kindKey);
  const mine: ManagerEntry = {
    manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, time: opts.now, set: appliedSet,
  };

  if (!live) {
    config.metadata.managedFields = serializeEntries([mine]);
    return config;
  }

  // The main resource ignores status in an applied config, as Kubernetes does.
  const { status: _ignored, ...configWithoutStatus } = config;
  const liveCopy = clone(live);
  const entries = parseEntries(liveCopy.metadata.managedFields);
  delete liveCopy.metadata.managedFields;
  const merged = structuredMerge(liveCopy, configWithoutStatus, [], opts.kindKey) as KubeObject;

  const previous = entries.find((e) => sameEntry(e, opts.manager, 'Apply'));
  const others = entries.filter((e) => e !== previous);
  if (previous) pruneDropped(merged, previous.set, appliedSet, others, opts.kindKey);

  const { changed, removed } = diffFields(
    trackedView(liveCopy as JsonObject),
    trackedView(merged as JsonObject) ?? {},
    opts.kindKey,
  );
  const force = opts.force || opts.manager === LAST_APPLIED_MANAGER;
  const conflicts = findConflicts(others, opts.manager, changed, removed);
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  for (const c of conflicts) c.entry.set.delete(c.path);
  for (const e of others) removeSubtrees(e.set, removed);

  if (previous) {
    previous.set = appliedSet;
    previous.time = opts.now;
    previous.apiVersion = opts.apiVersion;
  } else {
    entries.push(mine);
  }
  const serialized = serializeEntries(entries);
  if (serialized.length > 0) merged.metadata.managedFields = serialized;
  return merged;
}

/** SSA's deletion: what the manager applied last time, omits now, and nobody else owns, is removed. */
function pruneDropped(obj: KubeObject, before: FieldSet, now: FieldSet, others: ManagerEntry[], kindKey: string): void {
  const drop = [...before]
    .filter((p) => !now.has(p))
    .filter((p) => !ownsAtOrBelow(now, p) && !hasLeafAncestorIn(now, p))
    .filter((p) => !others.some((e) => ownsAtOrBelow(e.set, p)))
    .sort((a, b) => a.length - b.length);
  for (const p of drop) removePath(obj as JsonObject, p, kindKey);
}

/** An ancestor owned as a whole (an atomic value, not a map or list item with owned children). */
function hasLeafAncestorIn(set: FieldSet, encoded: string): boolean {
  const els = decodePath(encoded);
  for (let i = 1; i < els.length; i++) {
    const ancestor = encodePath(els.slice(0, i));
    if (set.has(ancestor) && ![...set].some((p) => p !== ancestor && isAtOrBelow(p, ancestor))) return true;
  }
  return false;
}

interface Conflict {
  entry: ManagerEntry;
  path: string;
}

function findConflicts(others: ManagerEntry[], manager: string, changed: FieldSet, removed: FieldSet): Conflict[] {
  const out: Conflict[] = [];
  // Managers are identified by name, operation and subresource (as Kubernetes keys managedFields):
  // the applier's own Update entries (e.g. `kubectl scale`) still conflict with its Apply.
  void manager;
  for (const entry of others) {
    for (const path of entry.set) {
      const hit = changed.has(path) || [...removed].some((r) => isAtOrBelow(path, r));
      if (hit) out.push({ entry, path });
    }
  }
  return out;
}

/** `"kubectl-client-side-apply" using apps/v1`, as Kubernetes prints a manager. */
function printManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion ?? ''}`;
  return s;
}

function conflictError(conflicts: Conflict[]): ApiError {
  const causes: FieldCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.entry)}`,
    field: formatPath(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.entry)}: ${formatPath(conflicts[0]!.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const m = printManager(c.entry);
      byManager.set(m, [...(byManager.get(m) ?? []), formatPath(c.path)]);
    }
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${m}:`);
      for (const p of byManager.get(m)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError('Conflict', message, { causes });
}
