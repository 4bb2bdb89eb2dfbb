// The one table of every served resource. Discovery, routing, OpenAPI, tables and storage keys all
// read it, so adding a kind is one entry here plus its defaults/validation.

export interface ResourceInfo {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** subresources served: 'status' | 'scale' | 'binding' | 'eviction' | 'log' | 'exec' | 'portforward' | 'attach' */
  subresources?: string[];
  /** true: the main resource ignores status writes and the status subresource ignores the rest */
  hasStatus: boolean;
  /** true when .spec changes bump metadata.generation */
  hasGeneration: boolean;
}

const ALL = ['all'];

function r(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceInfo> = {},
): ResourceInfo {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    hasStatus: false,
    hasGeneration: false,
    ...extra,
  };
}

export const RESOURCES: ResourceInfo[] = [
  r('', 'v1', 'Namespace', 'namespaces', false, { shortNames: ['ns'], subresources: ['status', 'finalize'], hasStatus: true }),
  r('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'],
    categories: ALL,
    subresources: ['status', 'binding', 'eviction', 'log', 'exec', 'portforward', 'attach'],
    hasStatus: true,
  }),
  r('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'], subresources: ['status'], hasStatus: true }),
  r('', 'v1', 'Service', 'services', true, { shortNames: ['svc'], categories: ALL, subresources: ['status'], hasStatus: true }),
  r('', 'v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
  r('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  r('', 'v1', 'Secret', 'secrets', true),
  r('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  r('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, { shortNames: ['pvc'], subresources: ['status'], hasStatus: true }),
  r('', 'v1', 'PersistentVolume', 'persistentvolumes', false, { shortNames: ['pv'], subresources: ['status'], hasStatus: true }),
  r('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    categories: ALL,
    subresources: ['status', 'scale'],
    hasStatus: true,
    hasGeneration: true,
  }),
  r('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'],
    categories: ALL,
    subresources: ['status', 'scale'],
    hasStatus: true,
    hasGeneration: true,
  }),
  r('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
    shortNames: ['sts'],
    categories: ALL,
    subresources: ['status', 'scale'],
    hasStatus: true,
    hasGeneration: true,
  }),
  r('apps', 'v1', 'DaemonSet', 'daemonsets', true, {
    shortNames: ['ds'],
    categories: ALL,
    subresources: ['status'],
    hasStatus: true,
    hasGeneration: true,
  }),
  r('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true),
  r('batch', 'v1', 'Job', 'jobs', true, { categories: ALL, subresources: ['status'], hasStatus: true, hasGeneration: true }),
  r('batch', 'v1', 'CronJob', 'cronjobs', true, {
    shortNames: ['cj'],
    categories: ALL,
    subresources: ['status'],
    hasStatus: true,
    hasGeneration: true,
  }),
  r('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, {
    shortNames: ['pdb'],
    subresources: ['status'],
    hasStatus: true,
    hasGeneration: true,
  }),
];

export const groupVersion = (ri: Pick<ResourceInfo, 'group' | 'version'>): string =>
  ri.group ? `${ri.group}/${ri.version}` : ri.version;

const byPath = new Map<string, ResourceInfo>();
const byKind = new Map<string, ResourceInfo>();
for (const ri of RESOURCES) {
  byPath.set(`${ri.group}/${ri.plural}`, ri);
  byKind.set(`${groupVersion(ri)}/${ri.kind}`, ri);
}

/** Look a resource up by URL parts: group ('' for core) and plural. */
export function resourceFor(group: string, plural: string): ResourceInfo | undefined {
  return byPath.get(`${group}/${plural}`);
}

/** Look a resource up by apiVersion ("v1", "apps/v1") and kind. */
export function resourceForKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

/** All group-versions served, core first. */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const ri of RESOURCES) seen.set(groupVersion(ri), { group: ri.group, version: ri.version });
  return [...seen.values()];
}

/**
 * Storage key of an object. Keys sort by resource, then namespace, then name, so a prefix lists
 * one resource (optionally in one namespace). Matches the etcd layout Kubernetes uses.
 */
export function storageKey(ri: ResourceInfo, namespace: string | undefined, name?: string): string {
  const base = `/registry/${ri.group || 'core'}/${ri.plural}/`;
  if (!ri.namespaced) return name === undefined ? base : base + name;
  if (namespace === undefined) return base;
  return name === undefined ? `${base}${namespace}/` : `${base}${namespace}/${name}`;
}
