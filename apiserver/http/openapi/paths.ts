// The REST paths of one resource with their operations, shaped like the Kubernetes OpenAPI v3
// documents. kubectl reads two things from them: the x-kubernetes-group-version-kind of each
// operation and whether the patch operation accepts the fieldValidation query parameter (that makes
// `kubectl apply` leave validation to the server).
import { type ResourceInfo } from '../../../api/resources.js';
import { ref, type Schema } from './dsl.js';
import { kindSchemaName, listSchemaName } from './kinds.js';

type Gvk = { group: string; version: string; kind: string };

const query = (name: string, description: string, type = 'string'): Schema => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});
const path = (name: string, description: string): Schema => ({
  name,
  in: 'path',
  description,
  required: true,
  schema: { type: 'string', uniqueItems: true },
});

const P = {
  pretty: query('pretty', 'Pretty-print the output.'),
  dryRun: query('dryRun', 'When "All", validate and default but do not persist.'),
  fieldManager: query('fieldManager', 'Name of the actor making the change, for field ownership.'),
  fieldValidation: query('fieldValidation', 'Ignore, Warn or Strict: how unknown or duplicate fields are reported.'),
  force: query('force', 'For apply patches: take ownership of conflicting fields.', 'boolean'),
  labelSelector: query('labelSelector', 'Only objects whose labels match.'),
  fieldSelector: query('fieldSelector', 'Only objects whose fields match.'),
  limit: query('limit', 'Maximum number of items in one response.', 'integer'),
  continue: query('continue', 'Token from a previous limited list.'),
  resourceVersion: query('resourceVersion', 'Version to list or watch from.'),
  watch: query('watch', 'Stream changes instead of returning a list.', 'boolean'),
  timeoutSeconds: query('timeoutSeconds', 'Close a list or watch after this many seconds.', 'integer'),
  allowWatchBookmarks: query('allowWatchBookmarks', 'Send BOOKMARK events during a watch.', 'boolean'),
  gracePeriodSeconds: query('gracePeriodSeconds', 'Seconds before the object is deleted; 0 deletes at once.', 'integer'),
  propagationPolicy: query('propagationPolicy', 'Orphan, Background or Foreground: what happens to dependents.'),
  name: path('name', 'Name of the object.'),
  namespace: path('namespace', 'Namespace of the object.'),
};

const LIST = [P.labelSelector, P.fieldSelector, P.limit, P.continue, P.resourceVersion, P.watch, P.timeoutSeconds, P.allowWatchBookmarks];
const WRITE = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

function ok(schema: Schema, code = '200'): Schema {
  const content = Object.fromEntries(['application/json', 'application/yaml'].map((t) => [t, { schema }]));
  return { [code]: { description: 'OK', content }, '401': { description: 'Unauthorized' } };
}

function op(id: string, action: string, g: Gvk, description: string, extra: Schema): Schema {
  return {
    tags: [g.group ? `${g.group.split('.')[0]}_${g.version}` : `core_${g.version}`],
    description,
    operationId: id,
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': g,
  };
}

const body = (schema: Schema): Schema => ({ required: true, content: { '*/*': { schema } } });
const patchBody = (): Schema => ({
  required: true,
  content: Object.fromEntries(PATCH_TYPES.map((t) => [t, { schema: ref('meta.Patch') }])),
});

/** get/put/patch on one object (the object itself or a subresource). */
function objectOps(id: string, g: Gvk, what: string, schema: Schema): Schema {
  return {
    get: op(`read${id}`, 'get', g, `Read the ${what}.`, { responses: ok(schema) }),
    put: op(`replace${id}`, 'put', g, `Replace the ${what}.`, { parameters: WRITE, requestBody: body(schema), responses: ok(schema) }),
    patch: op(`patch${id}`, 'patch', g, `Partially update the ${what}.`, {
      parameters: [...WRITE, P.force],
      requestBody: patchBody(),
      responses: ok(schema),
    }),
  };
}

const camel = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** URL prefix of a group-version: /api/v1 or /apis/apps/v1. */
export const gvPrefix = (group: string, version: string): string => (group ? `/apis/${group}/${version}` : `/api/${version}`);

export function resourcePaths(ri: ResourceInfo): Record<string, Schema> {
  const g: Gvk = { group: ri.group, version: ri.version, kind: ri.kind };
  const obj = ref(kindSchemaName(ri));
  const list = ref(listSchemaName(ri));
  const idBase = `${camel(ri.group ? ri.group.split('.')[0] : 'core')}${camel(ri.version)}${ri.namespaced ? 'Namespaced' : ''}${ri.kind}`;
  const base = gvPrefix(ri.group, ri.version);
  const collection = ri.namespaced ? `${base}/namespaces/{namespace}/${ri.plural}` : `${base}/${ri.plural}`;
  const scope = ri.namespaced ? [P.namespace, P.pretty] : [P.pretty];
  const item = `${collection}/{name}`;
  const paths: Record<string, Schema> = {
    [collection]: {
      parameters: scope,
      get: op(`list${idBase}`, 'list', g, `List or watch ${ri.plural}.`, { parameters: LIST, responses: ok(list) }),
      post: op(`create${idBase}`, 'post', g, `Create a ${ri.singular}.`, {
        parameters: WRITE,
        requestBody: body(obj),
        responses: { ...ok(obj), ...ok(obj, '201') },
      }),
      delete: op(`deletecollection${idBase}`, 'deletecollection', g, `Delete a collection of ${ri.plural}.`, {
        parameters: [...LIST, P.dryRun, P.gracePeriodSeconds, P.propagationPolicy],
        responses: ok(ref('meta.Status')),
      }),
    },
    [item]: {
      parameters: [P.name, ...scope],
      ...objectOps(idBase, g, ri.singular, obj),
      delete: op(`delete${idBase}`, 'delete', g, `Delete a ${ri.singular}.`, {
        parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy],
        requestBody: { content: { '*/*': { schema: ref('meta.DeleteOptions') } } },
        responses: ok(obj),
      }),
    },
  };
  if (ri.namespaced) {
    paths[`${base}/${ri.plural}`] = {
      parameters: [P.pretty],
      get: op(`list${idBase.replace('Namespaced', '')}ForAllNamespaces`, 'list', g, `List or watch ${ri.plural} in all namespaces.`, {
        parameters: LIST,
        responses: ok(list),
      }),
    };
  }
  const subs = ri.subresources ?? [];
  if (subs.includes('status')) {
    paths[`${item}/status`] = { parameters: [P.name, ...scope], ...objectOps(`${idBase}Status`, g, `status of a ${ri.singular}`, obj) };
  }
  if (subs.includes('scale')) {
    const scale: Gvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    paths[`${item}/scale`] = {
      parameters: [P.name, ...scope],
      ...objectOps(`${idBase}Scale`, scale, `scale of a ${ri.singular}`, ref('autoscaling.Scale')),
    };
  }
  return paths;
}
