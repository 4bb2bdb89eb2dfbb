// Imperative kubectl writes (label, annotate, scale, create ... — the typed ones send protobuf bodies),
// deletes by label and by namespace, and the errors users see: validation, malformed input, 413, 401.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { json, request } from '../helpers/https.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const NS = 'e2e-edit';

async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('kubectl imperative writes and errors', () => {
  let srv: TestApiserver;
  let k: Kubectl;
  let dir: string;
  const get = async (args: string[]) => (await k.ok(['get', ...args])).trim();

  beforeAll(async () => {
    srv = await startApiserver();
    k = kubectlFor(srv);
    dir = mkdtempSync(join(tmpdir(), 'kinglet-edit-'));
  });
  afterAll(async () => {
    k?.cleanup();
    await srv?.stop();
  });

  it('creates a namespace (protobuf body)', async () => {
    expect(await k.ok(['create', 'namespace', NS])).toContain(`namespace/${NS} created`);
    expect(await get(['namespace', NS, '-o', 'jsonpath={.status.phase}'])).toBe('Active');
  });

  it('creates a configmap from literals (protobuf body)', async () => {
    expect(await k.ok(['create', 'configmap', 'c1', '-n', NS, '--from-literal=a=1', '--from-literal=b=two'])).toContain(
      'configmap/c1 created',
    );
    expect(JSON.parse(await get(['cm', 'c1', '-n', NS, '-o', 'jsonpath={.data}']))).toEqual({ a: '1', b: 'two' });
  });

  it('creates a generic secret (protobuf body, bytes data)', async () => {
    expect(await k.ok(['create', 'secret', 'generic', 's1', '-n', NS, '--from-literal=pw=hunter2'])).toContain(
      'secret/s1 created',
    );
    expect(await get(['secret', 's1', '-n', NS, '-o', 'jsonpath={.data.pw}'])).toBe(Buffer.from('hunter2').toString('base64'));
    expect(await get(['secret', 's1', '-n', NS, '-o', 'jsonpath={.type}'])).toBe('Opaque');
  });

  it('creates a deployment from an image (protobuf body)', async () => {
    expect(await k.ok(['create', 'deployment', 'd1', '-n', NS, '--image=nginx:1.27'])).toContain('deployment.apps/d1 created');
    const d = JSON.parse(await get(['deploy', 'd1', '-n', NS, '-o', 'json']));
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(d.spec.selector.matchLabels).toEqual({ app: 'd1' });
    expect(d.spec.replicas).toBe(1);
    expect(d.metadata.generation).toBe(1);
  });

  it('labels and annotates, including removal with key-', async () => {
    expect(await k.ok(['label', 'cm', 'c1', '-n', NS, 'color=blue'])).toContain('configmap/c1 labeled');
    expect(await get(['cm', 'c1', '-n', NS, '-o', 'jsonpath={.metadata.labels.color}'])).toBe('blue');
    const again = await k.run(['label', 'cm', 'c1', '-n', NS, 'color=red']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("'color' already has a value (blue)");
    await k.ok(['label', 'cm', 'c1', '-n', NS, 'color=red', '--overwrite']);
    expect(await get(['cm', 'c1', '-n', NS, '-o', 'jsonpath={.metadata.labels.color}'])).toBe('red');

    expect(await k.ok(['annotate', 'cm', 'c1', '-n', NS, 'note=hello world'])).toContain('configmap/c1 annotated');
    expect(await get(['cm', 'c1', '-n', NS, '-o', 'jsonpath={.metadata.annotations.note}'])).toBe('hello world');
    expect(await k.ok(['annotate', 'cm', 'c1', '-n', NS, 'note-'])).toContain('configmap/c1 annotated');
    const cm = JSON.parse(await get(['cm', 'c1', '-n', NS, '-o', 'json']));
    expect(cm.metadata.annotations?.note).toBeUndefined();
    expect(cm.metadata.labels.color).toBe('red');
  });

  it('scales a deployment and bumps its generation', async () => {
    expect(await k.ok(['scale', 'deployment', 'd1', '-n', NS, '--replicas=3'])).toContain('deployment.apps/d1 scaled');
    expect(await get(['deploy', 'd1', '-n', NS, '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
    expect(await get(['deploy', 'd1', '-n', NS, '-o', 'jsonpath={.metadata.generation}'])).toBe('2');
  });

  it('deletes by label selector', async () => {
    for (const n of ['x1', 'x2', 'keep']) await k.ok(['create', 'configmap', n, '-n', NS, '--from-literal=k=v']);
    await k.ok(['label', 'cm', 'x1', 'x2', '-n', NS, 'group=x']);
    const out = await k.ok(['delete', 'cm', '-n', NS, '-l', 'group=x']);
    expect(out).toContain('configmap "x1" deleted');
    expect(out).toContain('configmap "x2" deleted');
    expect(await get(['cm', '-n', NS, '-l', 'group=x', '-o', 'name'])).toBe('');
    expect(await get(['cm', 'keep', '-n', NS, '-o', 'name'])).toBe('configmap/keep');
  });

  it('deleting a namespace removes its contents', async () => {
    await k.ok(['create', 'namespace', 'e2e-doomed']);
    await k.ok(['create', 'configmap', 'inside', '-n', 'e2e-doomed', '--from-literal=a=b']);
    expect(await k.ok(['delete', 'namespace', 'e2e-doomed', '--wait=false'])).toContain('namespace "e2e-doomed" deleted');
    await eventually(async () => (await k.run(['get', 'namespace', 'e2e-doomed'])).stderr.includes('NotFound'));
    const cms = await request(srv, 'GET', '/api/v1/namespaces/e2e-doomed/configmaps');
    expect(cms.status).toBe(200);
    expect(json(cms).items).toEqual([]);
  });

  it('rejects a pod without an image and names the field', async () => {
    const f = join(dir, 'noimage.yaml');
    writeFileSync(f, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: noimage\n  namespace: ${NS}\nspec:\n  containers:\n    - name: c\n`);
    const r = await k.run(['apply', '-f', f]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('spec.containers[0].image');
    expect(r.stderr).toMatch(/Required value/);
  });

  it('rejects an invalid name and names metadata.name', async () => {
    const r = await k.run(['create', 'configmap', 'Foo_Bar', '-n', NS]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('metadata.name');
    expect(r.stderr).toContain('Foo_Bar');
  });

  it('reports malformed YAML from the client', async () => {
    const f = join(dir, 'broken.yaml');
    writeFileSync(f, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n data: {\n');
    const r = await k.run(['create', '-f', f]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/error/i);
  });

  it('answers malformed JSON with a 400 Status', async () => {
    const r = await request(srv, 'POST', `/api/v1/namespaces/${NS}/configmaps`, { body: '{"apiVersion":"v1","kind":' });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const s = json(r);
    expect(s.kind).toBe('Status');
    expect(s.status).toBe('Failure');
    expect(s.reason).toBe('BadRequest');
    expect(s.code).toBe(400);
  });

  it('answers a body over 3 MiB with 413', async () => {
    const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { blob: 'x'.repeat(3.5 * 1024 * 1024) } };
    const r = await request(srv, 'POST', `/api/v1/namespaces/${NS}/configmaps`, { body: big });
    expect(r.status).toBe(413);
    expect(json(r).reason).toBe('RequestEntityTooLarge');
    expect((await k.run(['get', 'cm', 'big', '-n', NS])).code).not.toBe(0);
  });

  it('rejects a wrong token: 401 and kubectl asks to log in', async () => {
    const raw = await request(srv, 'GET', '/api/v1/namespaces', { token: 'not-the-token' });
    expect(raw.status).toBe(401);
    expect(json(raw).reason).toBe('Unauthorized');
    const bad = join(dir, 'bad.kubeconfig');
    writeFileSync(bad, readFileSync(srv.kubeconfigPath, 'utf8').replace(srv.token, 'not-the-token'));
    const r = await k.run(['get', 'pods', '-n', NS], { kubeconfigPath: bad });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('You must be logged in to the server');
  });
});
