// The strategic-merge metadata kubectl reads from our OpenAPI v3 documents when it computes a
// client-side apply patch. `lookup` walks the schemas the way kubectl's PatchMetaFromOpenAPIV3 does:
// property by property, reading the extensions on the property, then following items, allOf[0], $ref.
import { describe, expect, it } from 'vitest';
import { openapiV3Document } from '../../../../../apiserver/http/openapi/index.js';

type S = Record<string, any>;
const REF = '#/components/schemas/';
const docOf = (p: string) => openapiV3Document(p) as { components: { schemas: Record<string, S> } };

function resolve(schemas: Record<string, S>, s: S): S {
  const t = s.allOf?.length ? s.allOf[0] : s;
  if (!t.$ref) return t;
  const name = String(t.$ref).slice(REF.length);
  expect(schemas[name], t.$ref).toBeDefined();
  return schemas[name];
}

/** Patch metadata of the field at `path` (dot separated) from a root schema, plus the resolved schema. */
function lookup(gvPath: string, root: string, path: string): { ext: S; schema: S; name?: string } {
  const schemas = docOf(gvPath).components.schemas;
  let cur = schemas[root];
  expect(cur, root).toBeDefined();
  let ext: S = {};
  for (const key of path.split('.')) {
    const sub = cur.properties?.[key];
    expect(sub, `${root}.${path}: no field ${key}`).toBeDefined();
    ext = Object.fromEntries(Object.entries(sub).filter(([k]) => k.startsWith('x-kubernetes-')));
    cur = resolve(schemas, sub.type === 'array' ? sub.items : sub);
  }
  const name = Object.entries(schemas).find(([, v]) => v === cur)?.[0];
  return { ext, schema: cur, name };
}

const mapList = (key: string, keys = [key], strategy = 'merge') => ({
  'x-kubernetes-patch-merge-key': key,
  'x-kubernetes-patch-strategy': strategy,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': keys,
});

describe('patch metadata on lists', () => {
  it('merges pod containers, volumes and friends by their Kubernetes keys', () => {
    const spec = 'io.k8s.api.core.v1.PodSpec';
    expect(lookup('api/v1', spec, 'containers').ext).toEqual(mapList('name'));
    expect(lookup('api/v1', spec, 'initContainers').ext).toEqual(mapList('name'));
    expect(lookup('api/v1', spec, 'ephemeralContainers').ext).toEqual(mapList('name'));
    expect(lookup('api/v1', spec, 'volumes').ext).toEqual(mapList('name', ['name'], 'merge,retainKeys'));
    expect(lookup('api/v1', spec, 'imagePullSecrets').ext).toEqual(mapList('name'));
    expect(lookup('api/v1', spec, 'hostAliases').ext).toEqual(mapList('ip'));
    expect(lookup('api/v1', spec, 'topologySpreadConstraints').ext).toEqual(
      mapList('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
    );
    expect(lookup('api/v1', spec, 'schedulingGates').ext).toEqual(mapList('name'));
    expect(lookup('api/v1', spec, 'tolerations').ext).toEqual({}); // atomic upstream: replaced
    expect(lookup('api/v1', 'io.k8s.api.core.v1.PodStatus', 'conditions').ext).toEqual(mapList('type'));
  });

  it('merges container ports, env, mounts and devices by key', () => {
    const c = 'io.k8s.api.core.v1.Container';
    expect(lookup('api/v1', c, 'ports').ext).toEqual(mapList('containerPort', ['containerPort', 'protocol']));
    expect(lookup('api/v1', c, 'env').ext).toEqual(mapList('name'));
    expect(lookup('api/v1', c, 'volumeMounts').ext).toEqual(mapList('mountPath'));
    expect(lookup('api/v1', c, 'volumeDevices').ext).toEqual(mapList('devicePath'));
    expect(lookup('api/v1', c, 'command').ext).toEqual({});
  });

  it('merges service ports by port and metadata lists like Kubernetes', () => {
    expect(lookup('api/v1', 'io.k8s.api.core.v1.ServiceSpec', 'ports').ext).toEqual(mapList('port', ['port', 'protocol']));
    const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
    expect(lookup('api/v1', meta, 'finalizers').ext).toEqual({
      'x-kubernetes-list-type': 'set',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(lookup('api/v1', meta, 'ownerReferences').ext).toEqual(mapList('uid'));
    expect(lookup('api/v1', 'io.k8s.api.core.v1.NodeSpec', 'podCIDRs').ext['x-kubernetes-patch-strategy']).toBe('merge');
    expect(lookup('api/v1', 'io.k8s.api.core.v1.NodeStatus', 'addresses').ext).toEqual(mapList('type'));
    expect(lookup('apis/apps/v1', 'io.k8s.api.apps.v1.DeploymentStatus', 'conditions').ext).toEqual(mapList('type'));
  });

  it('puts retainKeys on the Deployment strategy wrapper, which still resolves to its struct', () => {
    const r = lookup('apis/apps/v1', 'io.k8s.api.apps.v1.DeploymentSpec', 'strategy');
    expect(r.ext).toEqual({ 'x-kubernetes-patch-strategy': 'retainKeys' });
    expect(r.name).toBe('io.k8s.api.apps.v1.DeploymentStrategy');
  });

  it('keeps every merge-keyed list a plain array whose items carry the key', () => {
    for (const p of ['api/v1', 'apis/apps/v1', 'apis/batch/v1']) {
      const schemas = docOf(p).components.schemas;
      for (const [name, s] of Object.entries(schemas)) {
        for (const [field, prop] of Object.entries<S>(s.properties ?? {})) {
          const key = prop['x-kubernetes-patch-merge-key'];
          if (!key) continue;
          expect(prop.type, `${name}.${field}`).toBe('array');
          expect(prop.allOf, `${name}.${field}`).toBeUndefined();
          const item = resolve(schemas, prop.items);
          if (item.properties) expect(item.properties[key], `${name}.${field}[].${key}`).toBeDefined();
          for (const k of prop['x-kubernetes-list-map-keys'] ?? []) if (item.properties) expect(item.properties[k]).toBeDefined();
        }
      }
    }
  });
});

describe('workload templates', () => {
  const workloads: [string, string, string][] = [
    ['apis/apps/v1', 'io.k8s.api.apps.v1.Deployment', 'spec.template'],
    ['apis/apps/v1', 'io.k8s.api.apps.v1.ReplicaSet', 'spec.template'],
    ['apis/apps/v1', 'io.k8s.api.apps.v1.StatefulSet', 'spec.template'],
    ['apis/apps/v1', 'io.k8s.api.apps.v1.DaemonSet', 'spec.template'],
    ['apis/batch/v1', 'io.k8s.api.batch.v1.Job', 'spec.template'],
    ['apis/batch/v1', 'io.k8s.api.batch.v1.CronJob', 'spec.jobTemplate.spec.template'],
  ];

  it.each(workloads)('%s %s: the template is a PodTemplateSpec whose containers merge by name', (gv, kind, path) => {
    expect(lookup(gv, kind, path).name).toBe('io.k8s.api.core.v1.PodTemplateSpec');
    const containers = lookup(gv, kind, `${path}.spec.containers`);
    expect(containers.ext).toEqual(mapList('name'));
    expect(containers.name).toBe('io.k8s.api.core.v1.Container');
    expect(lookup(gv, kind, `${path}.spec.containers.env`).ext).toEqual(mapList('name'));
    const owner = path.replace(/\.template$/, '');
    expect(lookup(gv, kind, `${owner}.selector`).name).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector');
  });

  it.each(workloads.slice(1))('%s %s: status is free-form', (gv, kind) => {
    const status = lookup(gv, kind, 'status').schema;
    expect(status).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('types nested maps users commonly change so kubectl never falls back', () => {
    const c = 'io.k8s.api.core.v1.Container';
    expect(lookup('api/v1', c, 'securityContext.capabilities.add').schema).toEqual({ type: 'string' });
    expect(lookup('api/v1', c, 'livenessProbe.httpGet.httpHeaders').schema.type).toBe('object');
    expect(lookup('api/v1', 'io.k8s.api.core.v1.Volume', 'configMap.items').name).toBe('io.k8s.api.core.v1.KeyToPath');
    expect(lookup('api/v1', 'io.k8s.api.core.v1.ServiceSpec', 'sessionAffinityConfig.clientIP.timeoutSeconds').schema.type).toBe(
      'integer',
    );
  });
});
