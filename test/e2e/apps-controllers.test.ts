// DaemonSet and StatefulSet controllers end to end: a real apiserver process, the real kubectl and
// a fake kubelet (test/helpers/fake-kubelet-batch.ts) that runs pods by writing their status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './agent-cluster.js';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { startFakeKubelet, type FakeKubelet } from '../helpers/fake-kubelet.js';
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
    const revs = JSON.parse(await k.ok(['get', 'controllerrevisions', '-n', NS, '-o', 'json'])).items;
    expect(revs.map((r: any) => r.metadata.name).sort()).toEqual([st.currentRevision, st.updateRevision].sort());

    const deletedBefore = kubelet.deleted.length;
    await k.ok(['scale', 'sts', 'db', '-n', NS, '--replicas=1']);
    await until('scaled to db-0', async () => {
      const n = (await podsJson('app=db')).map((p) => p.metadata.name).sort();
      return JSON.stringify(n) === '["db-0"]';
    }, 20_000, 100);
    // db-2 went before db-1: the kubelet confirmed their deletions in that order (the scale-down is
    // faster than any kubectl poll, so the order is read where the deletions are confirmed)
    expect(kubelet.deleted.slice(deletedBefore)).toEqual([`${NS}/db-2`, `${NS}/db-1`]);
    // claims stay (Retain)
    expect(JSON.parse(await k.ok(['get', 'pvc', '-n', NS, '-o', 'json'])).items).toHaveLength(3);
  });
});
