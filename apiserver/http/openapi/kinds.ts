// Component schemas for every served kind: the detailed ones where written, a generic schema with
// apiVersion/kind/metadata and free-form spec/status otherwise, plus a List schema per kind.
import { RESOURCES, type ResourceInfo } from '../../../api/resources.js';
import { object, objectHeader, ref, type Schema } from './dsl.js';
import { META_SCHEMAS } from './schemas-meta.js';
import { POD_SCHEMAS } from './schemas-pod.js';
import { KIND_SCHEMAS } from './schemas-kinds.js';

/** 'apps' → io.k8s.api.apps.v1.; 'discovery.k8s.io' → io.k8s.api.discovery.v1.; core → core. */
export function packagePrefix(group: string, version: string): string {
  return `io.k8s.api.${group ? group.split('.')[0] : 'core'}.${version}.`;
}

export const kindSchemaName = (ri: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): string =>
  packagePrefix(ri.group, ri.version) + ri.kind;

export const listSchemaName = (ri: ResourceInfo): string => packagePrefix(ri.group, ri.version) + ri.listKind;

const gvk = (group: string, version: string, kind: string) => [{ group, version, kind }];

function buildAll(): Record<string, Schema> {
  const all: Record<string, Schema> = { ...META_SCHEMAS, ...POD_SCHEMAS, ...KIND_SCHEMAS };
  for (const ri of RESOURCES) {
    const name = kindSchemaName(ri);
    const base =
      all[name] ??
      object(`${ri.kind} object. Its fields are not described here; the server validates them.`, {
        ...objectHeader,
        spec: ['o', `Desired state of the ${ri.kind}.`],
        status: ['o', `Observed state of the ${ri.kind}. Read-only.`],
      });
    all[name] = { ...base, 'x-kubernetes-group-version-kind': gvk(ri.group, ri.version, ri.kind) };
    all[listSchemaName(ri)] = {
      ...object(`A list of ${ri.kind} objects.`, {
        apiVersion: objectHeader.apiVersion,
        kind: objectHeader.kind,
        metadata: ['meta.ListMeta', 'Standard list metadata.'],
      }),
      'x-kubernetes-group-version-kind': gvk(ri.group, ri.version, ri.listKind),
    };
    const list = all[listSchemaName(ri)] as { properties: Record<string, Schema>; required?: string[] };
    list.properties.items = { type: 'array', description: `The ${ri.kind} objects.`, items: ref(name) };
    list.required = ['items'];
  }
  return all;
}

let cache: Record<string, Schema> | undefined;

/** Every component schema, by full Kubernetes name. */
export function allSchemas(): Record<string, Schema> {
  cache ??= buildAll();
  return cache;
}
