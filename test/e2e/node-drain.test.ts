// Node maintenance and failure end to end with the real kubectl and a fake kubelet: cordon/uncordon,
// drain through the eviction subresource honouring a PodDisruptionBudget, and NoExecute eviction of
// pods from a node that went silent (short grace and toleration via apiserver flags).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './agent-cluster.js';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { startFakeKubelet, type FakeKubelet } from '../helpers/fake-kubelet.js';
import { kubectlFor, tableRows, type Kubectl } from '../helpers/kubectl.js';

const NS = 'e2e-drain';
let srv: TestApiserver;
let k: Kubectl;
let kubelet: FakeKubelet;

beforeAll(async () => {
  srv = await startApiserver({ args: ['--node-monitor-grace-period', '3s', '--default-unreachable-toleration-seconds', '2'] });
  k = kubectlFor(srv);
  await k.ok(['create', 'namespace', NS]);
  kubelet = await startFakeKubelet(srv, { nodes: [{ name: 'd-1' }, { name: 'd-2' }], everyMs: 150 });
}, 60_000);

afterAll(async () => {
  await kubelet?.stop();
  k?.cleanup();
  await srv?.stop();
});

const pods = async (selector: string): Promise<Record<string, any>[]> =>
  JSON.parse(await k.ok(['get', 'pods', '-n', NS, '-l', selector, '-o', 'json'])).items;
const healthy = (p: Record<string, any>) =>
  !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

describe('cordon and drain', () => {
  it('cordon taints the node; drain evicts within the PodDisruptionBudget and skips daemon pods', async () => {
    await k.ok(['cordon', 'd-2']);
    const node = JSON.parse(await k.ok(['get', 'node', 'd-2', '-o', 'json']));
    expect(node.spec.unschedulable).toBe(true);
    await until('unschedulable taint', async () => {
      const n = JSON.parse(await k.ok(['get', 'node', 'd-2', '-o', 'json']));
      return n.spec.taints?.some((t: any) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule');
    }, 15_000);
    expect(tableRows(await k.ok(['get', 'node', 'd-2']))[1][1]).toBe('Ready,SchedulingDisabled');

    await k.ok(['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: ${NS}}
spec:
  serviceName: web
  replicas: 3
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: busybox, command: ["sleep", "3600"]}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: ${NS}}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logger, namespace: ${NS}}
spec:
  selector: {matchLabels: {app: logger}}
  template:
    metadata: {labels: {app: logger}}
    spec:
      containers: [{name: c, image: busybox, command: ["sleep", "3600"]}]
`,
    });
    await until('3 web pods Ready on d-1', async () => (await pods('app=web')).filter((p) => healthy(p) && p.spec.nodeName === 'd-1').length === 3, 20_000);
    await until('pdb status', async () => JSON.parse(await k.ok(['get', 'pdb', 'web', '-n', NS, '-o', 'json'])).status?.disruptionsAllowed === 1, 15_000);
    expect(tableRows(await k.ok(['get', 'pdb', '-n', NS]))[1].slice(0, 4)).toEqual(['web', '2', 'N/A', '1']);
    await k.ok(['uncordon', 'd-2']);

    let minHealthy = 3;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        minHealthy = Math.min(minHealthy, (await pods('app=web')).filter(healthy).length);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const r = await k.run(['drain', 'd-1', '--ignore-daemonsets', '--timeout=90s'], { timeoutMs: 100_000 });
    sampling = false;
    await sampler;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pod\/web-\d evicted/);
    expect(r.stdout).toMatch(/node\/d-1 drained/);
    expect(r.stderr).toMatch(/Cannot evict pod as it would violate the pod's disruption budget/);
    expect(minHealthy).toBeGreaterThanOrEqual(2);
    const web = await pods('app=web');
    expect(web.filter(healthy).map((p) => p.spec.nodeName)).toEqual(['d-2', 'd-2', 'd-2']);
    // the daemon pod stays on the drained node
    expect((await pods('app=logger')).filter((p) => p.spec.nodeName === 'd-1' && !p.metadata.deletionTimestamp)).toHaveLength(1);
    expect(tableRows(await k.ok(['get', 'node', 'd-1']))[1][1]).toBe('Ready,SchedulingDisabled');
    await k.ok(['uncordon', 'd-1']);
  }, 120_000);
});

describe('node failure', () => {
  it('a silent node is tainted NoExecute and its pods are evicted after tolerationSeconds; the Job replaces its pod elsewhere', async () => {
    // the Job's pod lands on d-2 while d-1 is cordoned; its replacement may then go to d-1
    await k.ok(['cordon', 'd-1']);
    await k.ok(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: worker, namespace: ${NS}}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: ["sleep", "3600"]}]
`,
    });
    const first = await until('job pod running on d-2', async () => (await pods('batch.kubernetes.io/job-name=worker')).find(healthy), 20_000);
    expect(first.spec.nodeName).toBe('d-2');
    await k.ok(['uncordon', 'd-1']);
    kubelet.silence('d-2');
    const tainted = await until('unreachable NoExecute taint', async () => {
      const n = JSON.parse(await k.ok(['get', 'node', 'd-2', '-o', 'json']));
      return n.spec.taints?.find((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
    }, 20_000);
    expect(tainted.timeAdded).toBeTruthy();
    const evicted = await until('job pod evicted', async () => {
      const p = (await pods('batch.kubernetes.io/job-name=worker')).find((x) => x.metadata.uid === first.metadata.uid);
      return p?.metadata.deletionTimestamp ? p : undefined;
    }, 20_000);
    const gap = Date.parse(evicted.metadata.deletionTimestamp) - Date.parse(tainted.timeAdded);
    expect(gap).toBeGreaterThanOrEqual(2000 - 1000); // second-resolution timestamps
    // web pods on d-2 are evicted too; the daemon pod tolerates unreachable and stays
    await until('web pods on d-2 evicted', async () => (await pods('app=web')).filter((p) => p.spec.nodeName === 'd-2').every((p) => p.metadata.deletionTimestamp), 20_000);
    expect((await pods('app=logger')).filter((p) => p.spec.nodeName === 'd-2').every((p) => !p.metadata.deletionTimestamp)).toBe(true);
    const replacement = await until('replacement job pod Running on d-1', async () =>
      (await pods('batch.kubernetes.io/job-name=worker')).find((p) => p.metadata.uid !== first.metadata.uid && healthy(p)), 20_000);
    expect(replacement.spec.nodeName).toBe('d-1');
    expect(tableRows(await k.ok(['get', 'node', 'd-2']))[1][1]).toBe('NotReady');
  }, 60_000);
});
