import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RESOURCES, groupVersions } from '../../../../../api/resources.js';
import { openapiV3Document, openapiV3Hash, openapiV3Index } from '../../../../../apiserver/http/openapi/index.js';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any> };
};

const gvPath = (g: string, v: string) => (g ? `apis/${g}/${v}` : `api/${v}`);
const doc = (p: string) => openapiV3Document(p) as Doc;
const pkg = (g: string) => (g ? g.split('.')[0] : 'core');

/** What client-go's query-param verifier does before `kubectl apply` trusts the server to validate. */
function supportsFieldValidation(d: Doc, gvk: { group: string; version: string; kind: string }): boolean | 'no-path' {
  for (const item of Object.values(d.paths)) {
    const op = item.patch;
    if (!op) continue;
    const ext = op['x-kubernetes-group-version-kind'];
    if (!ext || ext.group !== gvk.group || ext.version !== gvk.version || ext.kind !== gvk.kind) continue;
    return (op.parameters ?? []).some((p: any) => p.name === 'fieldValidation' && p.in === 'query');
  }
  return 'no-path';
}

function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refs(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref') out.push(String(x));
      else refs(x, out);
    }
  }
  return out;
}

describe('openapiV3Index', () => {
  it('lists every group-version with a hash of its document', () => {
    const index = openapiV3Index();
    const expected = groupVersions().map(({ group, version }) => gvPath(group, version));
    expect(Object.keys(index.paths).sort()).toEqual(expected.sort());
    for (const [p, { serverRelativeURL }] of Object.entries(index.paths)) {
      const hash = createHash('sha512').update(JSON.stringify(openapiV3Document(p))).digest('hex').toUpperCase();
      expect(serverRelativeURL).toBe(`/openapi/v3/${p}?hash=${hash}`);
      expect(openapiV3Hash(p)).toBe(hash);
    }
  });

  it('is stable between calls and distinct between documents', () => {
    expect(openapiV3Index()).toEqual(openapiV3Index());
    const urls = Object.values(openapiV3Index().paths).map((x) => x.serverRelativeURL.split('hash=')[1]);
    expect(new Set(urls).size).toBe(urls.length);
  });
});

describe('openapiV3Document', () => {
  it('serves every listed group-version and nothing else', () => {
    for (const p of Object.keys(openapiV3Index().paths)) {
      expect(doc(p).openapi).toBe('3.0.0');
      expect(Object.keys(doc(p).paths).length).toBeGreaterThan(0);
    }
    expect(openapiV3Document('/api/v1')).toBe(openapiV3Document('api/v1'));
    expect(openapiV3Document('apis/nope/v1')).toBeUndefined();
    expect(openapiV3Document('api/v2')).toBeUndefined();
  });

  it('has collection and object paths with all verbs for every resource', () => {
    for (const ri of RESOURCES) {
      const d = doc(gvPath(ri.group, ri.version));
      const base = ri.group ? `/apis/${ri.group}/${ri.version}` : `/api/${ri.version}`;
      const collection = ri.namespaced ? `${base}/namespaces/{namespace}/${ri.plural}` : `${base}/${ri.plural}`;
      expect(Object.keys(d.paths[collection]), collection).toEqual(expect.arrayContaining(['get', 'post', 'delete']));
      expect(Object.keys(d.paths[`${collection}/{name}`])).toEqual(expect.arrayContaining(['get', 'put', 'patch', 'delete']));
      for (const verb of ['get', 'put', 'patch', 'delete']) {
        expect(d.paths[`${collection}/{name}`][verb]['x-kubernetes-group-version-kind']).toEqual({
          group: ri.group,
          version: ri.version,
          kind: ri.kind,
        });
      }
      if (ri.namespaced) expect(d.paths[`${base}/${ri.plural}`].get).toBeDefined();
      if (ri.subresources?.includes('status')) expect(d.paths[`${collection}/{name}/status`].patch).toBeDefined();
      if (ri.subresources?.includes('scale')) {
        expect(d.paths[`${collection}/{name}/scale`].patch['x-kubernetes-group-version-kind']).toEqual({
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
        });
      }
    }
  });

  it('lets kubectl apply use server-side field validation for every kind', () => {
    for (const ri of RESOURCES) {
      const d = doc(gvPath(ri.group, ri.version));
      expect(supportsFieldValidation(d, ri), ri.kind).toBe(true);
    }
    // every patch operation, subresources included, accepts it
    for (const p of Object.keys(openapiV3Index().paths)) {
      for (const item of Object.values(doc(p).paths)) {
        if (item.patch) expect(item.patch.parameters.map((x: any) => x.name)).toContain('fieldValidation');
      }
    }
  });

  it('names kind schemas like Kubernetes and tags them with their GVK', () => {
    for (const ri of RESOURCES) {
      const schemas = doc(gvPath(ri.group, ri.version)).components.schemas;
      const name = `io.k8s.api.${pkg(ri.group)}.${ri.version}.${ri.kind}`;
      expect(schemas[name]?.['x-kubernetes-group-version-kind'], name).toEqual([
        { group: ri.group, version: ri.version, kind: ri.kind },
      ]);
      expect(schemas[`${name}List`]['x-kubernetes-group-version-kind'][0].kind).toBe(ri.listKind);
      expect(schemas[name].properties.metadata.allOf[0].$ref).toBe(
        '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      );
    }
  });

  it('resolves every $ref inside the same document', () => {
    for (const p of Object.keys(openapiV3Index().paths)) {
      const d = doc(p);
      for (const r of refs(d)) {
        expect(r.startsWith('#/components/schemas/'), r).toBe(true);
        expect(d.components.schemas[r.slice('#/components/schemas/'.length)], `${p}: ${r}`).toBeDefined();
      }
    }
  });

  it('describes the fields of the commonly explained types', () => {
    const core = doc('api/v1').components.schemas;
    const apps = doc('apis/apps/v1').components.schemas;
    const want: [Record<string, any>, string, string[]][] = [
      [core, 'io.k8s.api.core.v1.Pod', ['spec', 'status', 'metadata']],
      [core, 'io.k8s.api.core.v1.PodSpec', ['containers', 'volumes', 'restartPolicy', 'nodeName']],
      [core, 'io.k8s.api.core.v1.Container', ['name', 'image', 'command', 'env', 'ports', 'resources']],
      [core, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', ['name', 'namespace', 'labels', 'annotations']],
      [core, 'io.k8s.api.core.v1.Service', ['spec']],
      [core, 'io.k8s.api.core.v1.ServiceSpec', ['ports', 'selector', 'type', 'clusterIP']],
      [core, 'io.k8s.api.core.v1.ConfigMap', ['data', 'binaryData', 'immutable']],
      [apps, 'io.k8s.api.apps.v1.Deployment', ['spec', 'status']],
      [apps, 'io.k8s.api.apps.v1.DeploymentSpec', ['replicas', 'selector', 'template', 'strategy']],
      [apps, 'io.k8s.api.core.v1.PodTemplateSpec', ['metadata', 'spec']],
    ];
    for (const [schemas, name, fields] of want) {
      const s = schemas[name];
      expect(s.type, name).toBe('object');
      expect(s.description.length).toBeGreaterThan(5);
      for (const f of fields) expect(s.properties[f]?.description, `${name}.${f}`).toMatch(/\w/);
    }
    expect(core['io.k8s.api.core.v1.Container'].properties.command).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(core['io.k8s.api.core.v1.PodSpec'].properties.containers.items.$ref).toBe('#/components/schemas/io.k8s.api.core.v1.Container');
    expect(core['io.k8s.api.core.v1.PodSpec'].required).toEqual(['containers']);
  });

  it('keeps other group-versions free of unrelated kinds', () => {
    const batch = doc('apis/batch/v1');
    expect(batch.components.schemas['io.k8s.api.apps.v1.Deployment']).toBeUndefined();
    expect(Object.keys(batch.paths).every((p) => p.startsWith('/apis/batch/v1/'))).toBe(true);
  });
});
