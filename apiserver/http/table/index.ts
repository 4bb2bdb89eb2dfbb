// Server-side Table rendering (what `kubectl get` prints). Pure: takes objects, returns the
// meta.k8s.io Table the apiserver would answer for an `Accept: ...;as=Table` request.

import { groupVersion, type ResourceInfo } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { configMapPrinter, leasePrinter, namespacePrinter, nodePrinter, secretPrinter, serviceAccountPrinter } from './core.js';
import { eventPrinter } from './events.js';
import { AGE_DESC, NAME_DESC, col, type Cell, type ColumnDefinition, type Printer } from './format.js';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './network.js';
import { podPrinter } from './pods.js';
import { persistentVolumeClaimPrinter, persistentVolumePrinter } from './storage.js';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  pdbPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './workloads.js';

export { parseTableAccept, tableAcceptVersion, type TableVersion } from './accept.js';
export { humanDuration } from './format.js';
export type { ColumnDefinition, Cell } from './format.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** Default Metadata, like the apiserver when includeObject is not given. */
  includeObject?: IncludeObject;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** Clock for the Age cells; tests pin it. */
  now?: Date;
  /** false for watch events after the first: only the first Table event carries columns. */
  withColumns?: boolean;
  /** The meta.k8s.io version the client asked for (see tableAcceptVersion). Default v1. */
  version?: 'v1' | 'v1beta1';
}

export interface TableRow {
  cells: Cell[];
  object?: unknown;
  conditions?: unknown[];
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: ColumnDefinition[];
  rows: TableRow[];
}

/** Printers by "group/plural" so a same-named resource in another group never collides. */
const PRINTERS = new Map<string, Printer>([
  ['/pods', podPrinter],
  ['/nodes', nodePrinter],
  ['/namespaces', namespacePrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/events', eventPrinter],
  ['/persistentvolumes', persistentVolumePrinter],
  ['/persistentvolumeclaims', persistentVolumeClaimPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['apps/controllerrevisions', controllerRevisionPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['policy/poddisruptionbudgets', pdbPrinter],
  // events.k8s.io serves the same objects under another group; kubectl prints them alike.
  ['events.k8s.io/events', eventPrinter],
]);

/**
 * The apiserver's defaultTableConvertor for kinds without a printer: Name and a "Created At"
 * date column holding the RFC3339 creation time.
 */
const defaultPrinter: Printer = {
  columns: [col('Name', 'string', NAME_DESC, 0, 'name'), col('Created At', 'date', AGE_DESC)],
  cells(obj) {
    const ts = obj.metadata?.creationTimestamp;
    const t = typeof ts === 'string' ? Date.parse(ts) : NaN;
    return [obj.metadata?.name ?? '', Number.isNaN(t) ? '0001-01-01T00:00:00Z' : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')];
  },
};

export function printerFor(ri: Pick<ResourceInfo, 'group' | 'plural'>): Printer {
  return PRINTERS.get(`${ri.group}/${ri.plural}`) ?? defaultPrinter;
}

/** The column definitions for a resource (the Table header kubectl prints). */
export function columnsFor(ri: Pick<ResourceInfo, 'group' | 'plural'>): ColumnDefinition[] {
  return printerFor(ri).columns.map((c) => ({ ...c }));
}

function rowObject(ri: ResourceInfo, obj: KubeObject, include: IncludeObject, apiVersion: string): unknown {
  if (include === 'Object') {
    // kubectl --sort-by and custom columns read the typed object: make sure it says what it is.
    if (obj.kind && obj.apiVersion) return obj;
    return { ...obj, apiVersion: obj.apiVersion ?? groupVersion(ri), kind: obj.kind ?? ri.kind };
  }
  // PartialObjectMetadata: the metadata kubectl needs for -A, --show-labels and -L, nothing else.
  const { managedFields: _drop, ...metadata } = obj.metadata ?? {};
  void _drop;
  return { kind: 'PartialObjectMetadata', apiVersion, metadata };
}

export function tableFor(ri: ResourceInfo, objects: KubeObject[], opts: TableOptions = {}): Table {
  const printer = printerFor(ri);
  const now = opts.now ?? new Date();
  const include = opts.includeObject ?? 'Metadata';
  const apiVersion = `meta.k8s.io/${opts.version ?? 'v1'}`;
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;

  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.cells(obj, now) };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    if (include !== 'None') row.object = rowObject(ri, obj, include, apiVersion);
    return row;
  });

  return {
    kind: 'Table',
    apiVersion,
    metadata,
    columnDefinitions: opts.withColumns === false ? [] : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
