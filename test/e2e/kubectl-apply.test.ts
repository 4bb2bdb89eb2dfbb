// kubectl apply end to end: client-side create/unchanged/configured, server-side apply with a field
// manager conflict, and delete -f — against a real apiserver process and the real kubectl.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const NS = 'e2e-apply';

function manifest(replicas: number, color: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: ${NS}
data:
  color: ${color}
---
apiVersion: v1
kind: Secret
metadata:
  name: sec
  namespace: ${NS}
type: Opaque
data:
  password: aHVudGVyMg==
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${NS}
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 8080
---
apiVersion: v1
kind: Pod
metadata:
  name: p1
  namespace: ${NS}
  labels:
    app: solo
spec:
  containers:
    - name: main
      image: busybox:1.36
      command: ["sleep", "3600"]
`;
}

const SSA = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa
  namespace: ${NS}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ssa
  template:
    metadata:
      labels:
        app: ssa
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

const NAMES = ['namespace/e2e-apply', 'configmap/cfg', 'secret/sec', 'service/web', 'deployment.apps/web', 'pod/p1'];

describe('kubectl apply', () => {
  let srv: TestApiserver;
  let k: Kubectl;
  let dir: string;
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(async () => {
    srv = await startApiserver();
    k = kubectlFor(srv);
    dir = mkdtempSync(join(tmpdir(), 'kinglet-apply-'));
  });
  afterAll(async () => {
    k?.cleanup();
    await srv?.stop();
  });

  it('creates every object of a multi-document manifest', async () => {
    const f = file('m1.yaml', manifest(2, 'blue'));
    const out = await k.ok(['apply', '-f', f]);
    for (const n of NAMES) expect(out).toContain(`${n} created`);
    const cm = JSON.parse(await k.ok(['get', 'configmap', 'cfg', '-n', NS, '-o', 'json']));
    expect(cm.data).toEqual({ color: 'blue' });
    expect(cm.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"color":"blue"');
  });

  it('reports every object unchanged when applied again', async () => {
    const out = await k.ok(['apply', '-f', file('m1b.yaml', manifest(2, 'blue'))]);
    for (const n of NAMES) expect(out).toContain(`${n} unchanged`);
  });

  it('reports only changed objects as configured', async () => {
    const out = await k.ok(['apply', '-f', file('m2.yaml', manifest(3, 'green'))]);
    expect(out).toContain('deployment.apps/web configured');
    expect(out).toContain('configmap/cfg configured');
    expect(out).toContain('service/web unchanged');
    expect(out).toContain('pod/p1 unchanged');
    expect((await k.ok(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.spec.replicas}'])).trim()).toBe('3');
    expect((await k.ok(['get', 'cm', 'cfg', '-n', NS, '-o', 'jsonpath={.data.color}'])).trim()).toBe('green');
  });

  it('accepts manifests on stdin', async () => {
    const out = await k.ok(['apply', '-f', '-'], { input: manifest(3, 'green') });
    expect(out).toContain('configmap/cfg unchanged');
  });

  it('server-side applies a new object', async () => {
    const out = await k.ok(['apply', '--server-side', '-f', file('ssa.yaml', SSA)]);
    expect(out).toContain('deployment.apps/ssa serverside-applied');
    const d = JSON.parse(await k.ok(['get', 'deploy', 'ssa', '-n', NS, '-o', 'json', '--show-managed-fields']));
    expect(d.spec.replicas).toBe(2);
    expect((d.metadata.managedFields ?? []).map((m: { manager: string }) => m.manager)).toContain('kubectl');
  });

  it('reports a conflict after another manager (kubectl scale) took a field, and --force-conflicts wins', async () => {
    expect(await k.ok(['scale', 'deployment', 'ssa', '-n', NS, '--replicas=5'])).toContain('deployment.apps/ssa scaled');
    const f = file('ssa2.yaml', SSA);
    const conflict = await k.run(['apply', '--server-side', '-f', f]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toMatch(/conflict/i);
    expect(conflict.stderr).toContain('.spec.replicas');
    expect((await k.ok(['get', 'deploy', 'ssa', '-n', NS, '-o', 'jsonpath={.spec.replicas}'])).trim()).toBe('5');

    const forced = await k.ok(['apply', '--server-side', '--force-conflicts', '-f', f]);
    expect(forced).toContain('deployment.apps/ssa serverside-applied');
    expect((await k.ok(['get', 'deploy', 'ssa', '-n', NS, '-o', 'jsonpath={.spec.replicas}'])).trim()).toBe('2');
  });

  it('deletes everything with delete -f', async () => {
    await k.ok(['delete', '-f', file('ssa3.yaml', SSA), '--timeout=40s']);
    const out = await k.ok(['delete', '-f', file('m3.yaml', manifest(3, 'green')), '--ignore-not-found', '--timeout=40s'], {
      timeoutMs: 55_000,
    });
    expect(out).toContain('namespace "e2e-apply" deleted');
    // The namespace goes first in the file, so its contents may already be gone (cascade): only the
    // namespace line is certain, and afterwards nothing of the file may remain.
    const gone = await k.run(['get', 'namespace', NS]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('NotFound');
  });
});
