// DaemonSet and StatefulSet controllers end to end: a real apiserver process, the real kubectl and
// a fake kubelet (test/helpers/fake-kubelet-batch.ts) that runs pods by writing their status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './agent-cluster.js';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { startFakeKubelet, type FakeKubelet } from '../helpers/fake-kubelet-batch.js';
import { kubectlFor, tableRows, type Kubectl } from '../helpers/kubectl.js';

const NS = 'e2e-apps';
let srv: TestApiserver;
let k: Kubectl;
let kubelet: FakeKubelet;

beforeAll(async () => {
  srv = await startApiserver();
  k = kubectlFor(srv);
  await k.ok(['create', 'namespace', NS]);
  kubelet = await startFakeKubelet(srv, {
    nodes: [{ name: 'w-1' }, { name: 'w-2' }, { name: 'w-3', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }],
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
