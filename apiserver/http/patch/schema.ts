// A tiny static slice of the Kubernetes OpenAPI: where lists merge by key or as sets. Strategic
// merge patch and server-side apply both need it; every list not named here is atomic (replaced).

export interface KeyField {
  name: string;
  /** Value assumed when the item omits it (protocol defaults to TCP), so keys match defaulted objects. */
  default?: string | number;
}

export type ListStrategy =
  | { type: 'map'; mergeKey: string; keys: KeyField[] }
  | { type: 'set' }
  | { type: 'atomic' };

const byName = (name: string): ListStrategy => ({ type: 'map', mergeKey: name, keys: [{ name }] });
const SET: ListStrategy = { type: 'set' };
const ATOMIC: ListStrategy = { type: 'atomic' };

const CONTAINER_LISTS: Record<string, ListStrategy> = {
  env: byName('name'),
  ports: { type: 'map', mergeKey: 'containerPort', keys: [{ name: 'containerPort' }, { name: 'protocol', default: 'TCP' }] },
  volumeMounts: byName('mountPath'),
  volumeDevices: byName('devicePath'),
  resizePolicy: byName('resourceName'),
};

/** PodSpec-relative list paths. */
const POD_SPEC: Record<string, ListStrategy> = {
  volumes: byName('name'),
  imagePullSecrets: byName('name'),
  hostAliases: byName('ip'),
  topologySpreadConstraints: {
    type: 'map',
    mergeKey: 'topologyKey',
    keys: [{ name: 'topologyKey' }, { name: 'whenUnsatisfiable' }],
  },
  resourceClaims: byName('name'),
  schedulingGates: byName('name'),
};
for (const c of ['containers', 'initContainers', 'ephemeralContainers']) {
  POD_SPEC[c] = byName('name');
  for (const [field, s] of Object.entries(CONTAINER_LISTS)) POD_SPEC[`${c}.${field}`] = s;
}

/** Where a PodSpec lives inside each workload kind. */
const POD_SPEC_PREFIXES: Record<string, string[]> = {
  'v1/Pod': ['spec'],
  'v1/PodTemplate': ['template.spec'],
  'v1/ReplicationController': ['spec.template.spec'],
  'apps/v1/Deployment': ['spec.template.spec'],
  'apps/v1/ReplicaSet': ['spec.template.spec'],
  'apps/v1/StatefulSet': ['spec.template.spec'],
  'apps/v1/DaemonSet': ['spec.template.spec'],
  'batch/v1/Job': ['spec.template.spec'],
  'batch/v1/CronJob': ['spec.jobTemplate.spec.template.spec'],
};

const PER_KIND: Record<string, Record<string, ListStrategy>> = {
  'v1/Service': { 'spec.ports': { type: 'map', mergeKey: 'port', keys: [{ name: 'port' }, { name: 'protocol', default: 'TCP' }] } },
  'v1/Node': { 'status.addresses': byName('type'), 'spec.podCIDRs': SET, 'spec.taints': ATOMIC },
  'v1/Pod': { 'status.podIPs': byName('ip'), 'status.hostIPs': byName('ip') },
};

const tables = new Map<string, Map<string, ListStrategy>>();

function tableFor(kindKey: string): Map<string, ListStrategy> {
  let t = tables.get(kindKey);
  if (t) return t;
  t = new Map();
  for (const prefix of POD_SPEC_PREFIXES[kindKey] ?? []) {
    for (const [rel, s] of Object.entries(POD_SPEC)) t.set(`${prefix}.${rel}`, s);
  }
  for (const [p, s] of Object.entries(PER_KIND[kindKey] ?? {})) t.set(p, s);
  tables.set(kindKey, t);
  return t;
}

/**
 * The merge strategy of the list at `names` (field names from the root, list levels skipped),
 * e.g. ['spec','template','spec','containers','env'] in 'apps/v1/Deployment'.
 */
export function listStrategy(kindKey: string, names: readonly string[]): ListStrategy {
  const hit = tableFor(kindKey).get(names.join('.'));
  if (hit) return hit;
  const last = names[names.length - 1];
  const parent = names[names.length - 2];
  // These live in every kind's (and every embedded template's) metadata / status.
  if (parent === 'metadata' && last === 'finalizers') return SET;
  if (parent === 'metadata' && last === 'ownerReferences') return byName('uid');
  if (names.length === 2 && names[0] === 'status' && last === 'conditions') return byName('type');
  return ATOMIC;
}

/** Label selectors are atomic structs: owned and replaced as a whole. */
export function isAtomicMap(names: readonly string[], value: Record<string, unknown>): boolean {
  return names[names.length - 1] === 'selector' && ('matchLabels' in value || 'matchExpressions' in value);
}

/** The key fields identifying a list item (with defaults filled), or undefined if it has none. */
export function itemKey(strategy: ListStrategy & { type: 'map' }, item: unknown): Record<string, unknown> | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const o = item as Record<string, unknown>;
  if (o[strategy.mergeKey] === undefined) return undefined;
  const key: Record<string, unknown> = {};
  for (const k of [...strategy.keys].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const v = o[k.name] ?? k.default;
    if (v !== undefined) key[k.name] = v;
  }
  return key;
}
