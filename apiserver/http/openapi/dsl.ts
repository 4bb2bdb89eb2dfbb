// A compact notation for OpenAPI v3 schemas so field lists read like a table:
//   's' string, 'i' int32, 'l' int64, 'b' boolean, 'o' free-form object,
//   'q' Quantity, 'ios' IntOrString, 't' Time, 'pkg.Name' a named schema (core., meta., apps., ...),
//   '[x]' array of x, '{x}' map from string to x.
export type Schema = Record<string, unknown>;

export const REF_PREFIX = '#/components/schemas/';

const PACKAGES: Record<string, string> = {
  core: 'io.k8s.api.core.v1.',
  apps: 'io.k8s.api.apps.v1.',
  batch: 'io.k8s.api.batch.v1.',
  autoscaling: 'io.k8s.api.autoscaling.v1.',
  meta: 'io.k8s.apimachinery.pkg.apis.meta.v1.',
};

const ALIASES: Record<string, string> = {
  q: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  ios: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  t: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
};

/** 'core.Pod' → 'io.k8s.api.core.v1.Pod'; full names pass through. */
export function schemaName(short: string): string {
  const dot = short.indexOf('.');
  const pkg = dot > 0 ? PACKAGES[short.slice(0, dot)] : undefined;
  return pkg && !short.slice(dot + 1).includes('.') ? pkg + short.slice(dot + 1) : short;
}

export const ref = (name: string): Schema => ({ $ref: REF_PREFIX + schemaName(name) });

function typeOf(code: string): Schema {
  if (code.startsWith('[')) return { type: 'array', items: typeOf(code.slice(1, -1)) };
  if (code.startsWith('{')) return { type: 'object', additionalProperties: typeOf(code.slice(1, -1)) };
  switch (code) {
    case 's':
      return { type: 'string' };
    case 'i':
      return { type: 'integer', format: 'int32' };
    case 'l':
      return { type: 'integer', format: 'int64' };
    case 'b':
      return { type: 'boolean' };
    case 'o':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    default:
      return ref(ALIASES[code] ?? code);
  }
}

/**
 * One property; references are wrapped in allOf so they can carry their own description. `ext`
 * (patch and list metadata) sits on the property itself, where kubectl's strategic-merge-patch
 * lookup reads it before following items or allOf.
 */
export function prop(code: string, description: string, ext: Schema = {}): Schema {
  const t = typeOf(code);
  return '$ref' in t ? { description, allOf: [t], ...ext } : { ...t, description, ...ext };
}

export type Fields = Record<string, [code: string, description: string, ext?: Schema]>;

/**
 * A list merged by key, like k8s.io/api's `patchStrategy:"merge" patchMergeKey:"<key>"` with
 * `+listType=map +listMapKey=...`. Without it kubectl replaces the whole list on every apply.
 */
export function mergeByKey(key: string, mapKeys: string[] = [key], strategy = 'merge'): Schema {
  return {
    'x-kubernetes-list-map-keys': mapKeys,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-patch-merge-key': key,
    'x-kubernetes-patch-strategy': strategy,
  };
}

/** A list of primitives merged as a set (`patchStrategy:"merge"`, `+listType=set`). */
export const mergeSet: Schema = { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' };

/** A struct whose unlisted keys are dropped by a patch that lists `$retainKeys`. */
export const retainKeys: Schema = { 'x-kubernetes-patch-strategy': 'retainKeys' };

export function object(description: string, fields: Fields, required?: string[]): Schema {
  const properties = Object.fromEntries(Object.entries(fields).map(([k, [c, d, e]]) => [k, prop(c, d, e)]));
  return { type: 'object', description, properties, ...(required?.length ? { required } : {}) };
}

/** An object whose fields are not described; the server still validates what it knows. */
export const opaque = (description: string): Schema => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});

/** apiVersion/kind/metadata, shared by every top-level kind. */
export const objectHeader: Fields = {
  apiVersion: ['s', 'Versioned schema of this object, e.g. v1 or apps/v1.'],
  kind: ['s', 'The type of this object, in CamelCase.'],
  metadata: ['meta.ObjectMeta', 'Standard object metadata: name, namespace, labels, annotations, ...'],
};
