// Read paths of kubectl: tables and their columns, output formats, selectors, -A, get all, discovery
// (api-resources, version, explain), describe, and get -w seeing a change made by another client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { kubectlFor, tableRows, type Kubectl } from '../helpers/kubectl.js';

const NS = 'e2e-get';
const NS2 = 'e2e-get2';

function pod(name: string, ns: string, labels: Record<string, string>): string {
  const l = Object.entries(labels).map(([k, v]) => `    ${k}: "${v}"`).join('\n');
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
${l}
spec:
  containers:
    - name: main
      image: busybox:1.36
      command: ["sleep", "3600"]
`;
}

const MANIFEST = [
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`,
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS2}\n`,
  pod('web-1', NS, { app: 'web', env: 'a', tier: 'e2e' }),
  pod('web-2', NS, { app: 'web', env: 'b', tier: 'e2e' }),
  pod('db-1', NS, { app: 'db', env: 'c', tier: 'e2e' }),
  pod('other', NS2, { app: 'other', tier: 'e2e' }),
  `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${NS}
spec:
  selector:
    app: web
  ports:
    - port: 80
`,
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: front
  namespace: ${NS}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: front
  template:
    metadata:
      labels:
        app: front
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
].join('---\n');

describe('kubectl get / describe / discovery', () => {
  let srv: TestApiserver;
  let k: Kubectl;

  beforeAll(async () => {
    srv = await startApiserver();
    k = kubectlFor(srv);
    await k.ok(['apply', '-f', '-'], { input: MANIFEST });
  });
  afterAll(async () => {
    k?.cleanup();
    await srv?.stop();
  });

  it('prints the pod table columns kubectl users know', async () => {
    const rows = tableRows(await k.ok(['get', 'pods', '-n', NS, '-l', 'tier=e2e']));
    expect(rows[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const web1 = rows.find((r) => r[0] === 'web-1');
    expect(web1?.slice(1, 4)).toEqual(['0/1', 'Pending', '0']);
    expect(rows.map((r) => r[0]).slice(1)).toEqual(['db-1', 'web-1', 'web-2']);
  });

  it('adds the wide columns with -o wide', async () => {
    const header = (await k.ok(['get', 'pods', '-n', NS, '-o', 'wide'])).split('\n')[0]!;
    expect(header).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\s*$/);
  });

  it('prints the deployment table columns', async () => {
    const rows = tableRows(await k.ok(['get', 'deployments', '-n', NS]));
    expect(rows[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(rows[1]?.[0]).toBe('front');
    expect(rows[1]?.[1]).toMatch(/^\d+\/2$/);
  });

  it('prints json and yaml', async () => {
    const list = JSON.parse(await k.ok(['get', 'pods', '-n', NS, '-l', 'tier=e2e', '-o', 'json']));
    expect(list.kind).toBe('List');
    expect(list.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(['db-1', 'web-1', 'web-2']);
    expect(list.items[0].kind).toBe('Pod');
    const yaml = await k.ok(['get', 'pod', 'web-1', '-n', NS, '-o', 'yaml']);
    expect(yaml).toMatch(/^apiVersion: v1$/m);
    expect(yaml).toMatch(/^kind: Pod$/m);
    expect(yaml).toMatch(/^ {2}name: web-1$/m);
    expect(yaml).toMatch(/^ {2}uid: [0-9a-f-]{36}$/m);
  });

  it('filters by label equality, set-based labels and field selectors', async () => {
    const names = (args: string[]) => k.ok(['get', 'pods', '-n', NS, ...args, '-o', 'jsonpath={.items[*].metadata.name}']);
    expect((await names(['-l', 'app=web'])).trim()).toBe('web-1 web-2');
    expect((await names(['-l', 'env in (a,c)'])).trim()).toBe('db-1 web-1');
    expect((await names(['-l', 'tier=e2e,env notin (a,b)'])).trim()).toBe('db-1');
    expect((await names(['-l', 'tier,!env'])).trim()).toBe('');
    expect((await names(['--field-selector', 'metadata.name=web-2'])).trim()).toBe('web-2');
    expect((await names(['--field-selector', 'metadata.name!=web-2', '-l', 'tier=e2e'])).trim()).toBe('db-1 web-1');
  });

  it('shows a NAMESPACE column with -A', async () => {
    const rows = tableRows(await k.ok(['get', 'pods', '-A', '-l', 'tier=e2e']));
    expect(rows[0]!.slice(0, 2)).toEqual(['NAMESPACE', 'NAME']);
    expect(rows.slice(1).map((r) => `${r[0]}/${r[1]}`).sort()).toEqual(
      [`${NS}/db-1`, `${NS}/web-1`, `${NS}/web-2`, `${NS2}/other`].sort(),
    );
  });

  it('shows labels with --show-labels', async () => {
    const out = await k.ok(['get', 'pod', 'web-1', '-n', NS, '--show-labels']);
    expect(out.split('\n')[0]).toMatch(/\bLABELS\s*$/);
    expect(out).toContain('app=web,env=a,tier=e2e');
  });

  it('gets all resources of the "all" category', async () => {
    const out = await k.ok(['get', 'all', '-n', NS]);
    expect(out).toContain('pod/web-1');
    expect(out).toContain('service/web');
    expect(out).toContain('deployment.apps/front');
  });

  it('lists api-resources with short names', async () => {
    const out = await k.ok(['api-resources']);
    expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod\s*$/m);
    expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment\s*$/m);
    expect(out).toMatch(/^services\s+svc\s+v1\s+true\s+Service\s*$/m);
    expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace\s*$/m);
    expect(out).toMatch(/^configmaps\s+cm\s+v1\s+true\s+ConfigMap\s*$/m);
  });

  it('reports server version 1.32', async () => {
    const out = await k.ok(['version']);
    expect(out).toMatch(/^Server Version: v1\.32\.\d+/m);
  });

  it('explains pod.spec.containers from the served OpenAPI v3 schemas', async () => {
    const out = await k.ok(['explain', 'pod.spec.containers']);
    expect(out).toMatch(/^KIND:\s+Pod$/m);
    expect(out).toMatch(/^FIELD:\s+containers <\[\]Container>$/m);
    expect(out).toMatch(/^\s+image\s+<string>$/m);
    expect(out).toMatch(/^\s+command\s+<\[\]string>$/m);
  });

  it('describes a pod with name, labels and an events section', async () => {
    const out = await k.ok(['describe', 'pod', 'web-1', '-n', NS]);
    expect(out).toMatch(/^Name:\s+web-1$/m);
    expect(out).toMatch(/^Namespace:\s+e2e-get$/m);
    expect(out).toMatch(/^Labels:\s+app=web$/m);
    expect(out).toMatch(/^Status:\s+Pending$/m);
    expect(out).toMatch(/^Events:/m);
  });

  it('describes a deployment', async () => {
    const out = await k.ok(['describe', 'deployment', 'front', '-n', NS]);
    expect(out).toMatch(/^Name:\s+front$/m);
    expect(out).toMatch(/^Selector:\s+app=front$/m);
    expect(out).toMatch(/^Replicas:\s+2 desired/m);
    expect(out).toMatch(/^Events:/m);
  });

  it('get -w sees a label change made by another kubectl', async () => {
    const w = k.watch(['get', 'pod', 'web-2', '-n', NS, '-w', '--show-labels']);
    try {
      await w.waitForLine(/^web-2\s/);
      expect(w.lines[0]).toMatch(/^NAME\s+READY\s+STATUS/);
      await k.ok(['label', 'pod', 'web-2', '-n', NS, 'watched=yes']);
      const line = await w.waitForLine(/watched=yes/);
      expect(line).toMatch(/^web-2\s/);
    } finally {
      await w.kill();
    }
  });
});
