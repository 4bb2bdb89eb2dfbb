// DaemonSet and StatefulSet controllers end to end: a real apiserver process, the real kubectl and
// a fake kubelet (test/helpers/fake-kubelet.ts) that runs pods by writing their status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './agent-cluster.js';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { startFakeKubelet, type FakeKubelet } from '../helpers/fake-kubelet.js';
import { openWatch, targetOf } from '../helpers/https.js';
import { kubectlFor, tableRows, type Kubectl } from '../helpers/kubectl.js';

const NS = 'e2e-apps';
let srv: TestApiserver;
let k: Kubectl;
let kubelet: FakeKubelet;
/** StatefulSet pods (db-N) turn Ready only once the test lets them */
const readyAllowed = new Set<string>();

beforeAll(async () => {
  srv = await startApiserver();
  k = kubectlFor(srv);
  await k.ok(['create', 'namespace', NS]);
  kubelet = await startFakeKubelet(srv, {
    nodes: [{ name: 'w-1' }, { name: 'w-2' }, { name: 'w-3', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }],
    ready: (pod) => !pod.metadata.name.startsWith('db-') || readyAllowed.has(pod.metadata.name),
  });
}, 60_000);

afterAll(async () => {
  await kubelet?.stop();
  k?.cleanup();
  await srv?.stop();
});

const podsJson = async (selector: string): Promise<Record<string, any>[]> =>
  JSON.parse(await k.ok(['get', 'pods', '-n', NS, '-l', selector, '-o', 'json'])).items;

describe('DaemonSet', () => {
  it('lands on every eligible node, a new node gets one, and a new image rolls out', async () => {
    await k.ok(['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ${NS}}
spec:
  selector: {matchLabels: {app: agent}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: c, image: busybox:1, command: ["sleep", "3600"]}]
`,
    });
    const nodesOf = async () => (await podsJson('app=agent')).filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp).map((p) => p.spec.nodeName).sort();
    await until('daemon pods on w-1 and w-2', async () => JSON.stringify(await nodesOf()) === '["w-1","w-2"]', 20_000);
    // the tainted node gets none
    expect((await podsJson('app=agent')).some((p) => p.spec.nodeName === 'w-3')).toBe(false);
    await kubelet.addNode({ name: 'w-4' });
    await until('daemon pod on the new node', async () => JSON.stringify(await nodesOf()) === '["w-1","w-2","w-4"]', 20_000);
    const rows = await until('ds status 3/3', async () => {
      const r = tableRows(await k.ok(['get', 'ds', '-n', NS, 'agent']));
      return r[1]?.slice(1, 6).join(' ') === '3 3 3 3 3' ? r : undefined;
    }, 20_000);
    expect(rows[0].slice(0, 6)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE']);
    expect(await k.ok(['describe', 'ds', 'agent', '-n', NS])).toMatch(/Desired Number of Nodes Scheduled: 3/);

    // rolling update: every pod replaced by one with the new image, never two nodes down at once
    await k.ok(['set', 'image', 'ds/agent', '-n', NS, 'c=busybox:2']);
    let worst = 3;
    await until('all daemon pods on busybox:2', async () => {
      const pods = (await podsJson('app=agent')).filter((p) => !p.metadata.deletionTimestamp);
      worst = Math.min(worst, pods.filter((p) => p.status?.phase === 'Running').length);
      const fresh = pods.filter((p) => p.status?.phase === 'Running' && p.spec.containers[0].image === 'busybox:2');
      return fresh.length === 3 && pods.length === 3;
    }, 30_000, 100);
    expect(worst).toBeGreaterThanOrEqual(2);
    const st = await k.ok(['rollout', 'status', 'ds/agent', '-n', NS, '--timeout=20s']);
    expect(st).toMatch(/daemon set "agent" successfully rolled out/);

    // history from ControllerRevisions, and undo rolls the old template back out
    const hist = tableRows(await k.ok(['rollout', 'history', 'ds/agent', '-n', NS]));
    expect(hist.slice(-2).map((r) => r[0])).toEqual(['1', '2']);
    await k.ok(['rollout', 'undo', 'ds/agent', '-n', NS]);
    await until('daemon pods back on busybox:1', async () => {
      const pods = (await podsJson('app=agent')).filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running');
      return pods.length === 3 && pods.every((p) => p.spec.containers[0].image === 'busybox:1');
    }, 30_000, 200);
    const after = tableRows(await k.ok(['rollout', 'history', 'ds/agent', '-n', NS]));
    expect(after.slice(-2).map((r) => r[0])).toEqual(['2', '3']);
  });
});

describe('StatefulSet', () => {
  const names = async () => (await podsJson('app=db')).map((p) => p.metadata.name).sort();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('scales up in order, each pod after the previous is Ready, with bound claims', async () => {
    await k.ok(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Service
metadata: {name: db, namespace: ${NS}}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ${NS}}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: c, image: busybox:1, command: ["sleep", "3600"], volumeMounts: [{name: data, mountPath: /data}]}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`,
    });
    await until('db-0 created', async () => (await names()).includes('db-0'));
    await sleep(1500);
    expect(await names()).toEqual(['db-0']); // db-1 waits for db-0 to be Ready
    readyAllowed.add('db-0');
    await until('db-1 created', async () => (await names()).includes('db-1'));
    await sleep(1000);
    expect(await names()).toEqual(['db-0', 'db-1']);
    readyAllowed.add('db-1');
    readyAllowed.add('db-2');
    await until('3 ready replicas', async () => JSON.parse(await k.ok(['get', 'sts', 'db', '-n', NS, '-o', 'json'])).status?.readyReplicas === 3, 20_000);
    const pod0 = JSON.parse(await k.ok(['get', 'pod', 'db-0', '-n', NS, '-o', 'json']));
    expect(pod0.spec).toMatchObject({ hostname: 'db-0', subdomain: 'db' });
    expect(pod0.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } });
    const pvcs = await until('3 bound claims', async () => {
      const items = JSON.parse(await k.ok(['get', 'pvc', '-n', NS, '-o', 'json'])).items;
      return items.length === 3 && items.every((c: any) => c.status?.phase === 'Bound') ? items : undefined;
    }, 20_000);
    expect(pvcs.map((c: any) => c.metadata.name).sort()).toEqual(['data-db-0', 'data-db-1', 'data-db-2']);
    const pv = JSON.parse(await k.ok(['get', 'pv', pvcs.find((c: any) => c.metadata.name === 'data-db-0').spec.volumeName, '-o', 'json']));
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchFields[0].values).toEqual([pod0.spec.nodeName]);
    expect(tableRows(await k.ok(['get', 'sts', '-n', NS, 'db']))[1].slice(0, 2)).toEqual(['db', '3/3']);
    const desc = await k.ok(['describe', 'sts', 'db', '-n', NS]);
    expect(desc).toMatch(/Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/);
    expect(desc).toMatch(/SuccessfulCreate\s+.*create Pod db-2 in StatefulSet db successful/);
  });

  it('a deleted pod comes back with the same name on the node holding its volume', async () => {
    const before = JSON.parse(await k.ok(['get', 'pod', 'db-1', '-n', NS, '-o', 'json']));
    await k.ok(['delete', 'pod', 'db-1', '-n', NS, '--wait=false']);
    const after = await until('db-1 recreated', async () => {
      const p = JSON.parse((await k.run(['get', 'pod', 'db-1', '-n', NS, '-o', 'json'])).stdout || '{}');
      return p.metadata && p.metadata.uid !== before.metadata.uid && p.spec.nodeName ? p : undefined;
    }, 20_000);
    expect(after.spec.nodeName).toBe(before.spec.nodeName);
  });

  it('rolls a new template from the highest ordinal down to the partition, and scales down in reverse', async () => {
    await k.ok(['patch', 'sts', 'db', '-n', NS, '--type=merge', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":1}}}}']);
    await k.ok(['set', 'image', 'sts/db', '-n', NS, 'c=busybox:2']);
    const imageOf = async (n: string) => JSON.parse(await k.ok(['get', 'pod', n, '-n', NS, '-o', 'json'])).spec.containers[0].image;
    await until('db-2 and db-1 updated', async () => (await imageOf('db-2')) === 'busybox:2' && (await imageOf('db-1')) === 'busybox:2', 30_000, 300);
    expect(await imageOf('db-0')).toBe('busybox:1');
    const st = await until('status settles', async () => {
      const s = JSON.parse(await k.ok(['get', 'sts', 'db', '-n', NS, '-o', 'json'])).status;
      return s.updatedReplicas === 2 && s.readyReplicas === 3 ? s : undefined;
    }, 20_000);
    expect(st.currentRevision).not.toBe(st.updateRevision);
    expect(await k.ok(['rollout', 'status', 'sts/db', '-n', NS, '--timeout=20s'])).toMatch(/partitioned roll out complete: 2 new pods have been updated/);
    const revs = JSON.parse(await k.ok(['get', 'controllerrevisions', '-n', NS, '-o', 'json'])).items;
    expect(revs.map((r: any) => r.metadata.name).filter((n: string) => n.startsWith('db-')).sort()).toEqual([st.currentRevision, st.updateRevision].sort());

    const watch = await openWatch(targetOf(srv), `/api/v1/namespaces/${NS}/pods?watch=true&labelSelector=app%3Ddb`);
    await k.ok(['scale', 'sts', 'db', '-n', NS, '--replicas=1']);
    await until('scaled to db-0', async () => JSON.stringify(await names()) === '["db-0"]', 20_000, 100);
    // db-2 was marked for deletion (and gone) before db-1 was
    const marked = watch.events.filter((e) => e.object.metadata.deletionTimestamp || e.type === 'DELETED').map((e) => `${e.type} ${e.object.metadata.name}`);
    watch.close();
    const firstOf = (name: string) => marked.findIndex((m) => m.endsWith(` ${name}`));
    expect(firstOf('db-2')).toBeGreaterThanOrEqual(0);
    expect(marked.indexOf('DELETED db-2')).toBeLessThan(firstOf('db-1'));
    // claims stay (Retain)
    expect(JSON.parse(await k.ok(['get', 'pvc', '-n', NS, '-o', 'json'])).items).toHaveLength(3);
  });
});

describe('at rest', () => {
  it('controllers write nothing when nothing changes (no status write loops)', async () => {
    const rv = async () => {
      const items = ['ds/agent', 'sts/db'].map(async (o) => JSON.parse(await k.ok(['get', o, '-n', NS, '-o', 'json'])).metadata.resourceVersion);
      return Promise.all(items);
    };
    await new Promise((r) => setTimeout(r, 1500));
    const before = await rv();
    await new Promise((r) => setTimeout(r, 3000));
    expect(await rv()).toEqual(before);
  });
});
