// Deployments and ReplicaSets driven by the real kubectl against a real apiserver process; a fake
// kubelet (API writes only, no Docker) plays two nodes that run pods and make them Ready.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { startFakeKubelet, type FakeKubelet } from '../helpers/fake-kubelet.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { until } from './agent-cluster.js';

const deploymentYaml = (name: string, o: { replicas?: number; image?: string; strategy?: string; history?: number; deadline?: number } = {}) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${o.replicas ?? 4}
  revisionHistoryLimit: ${o.history ?? 10}
  progressDeadlineSeconds: ${o.deadline ?? 600}
  strategy: ${o.strategy === 'Recreate' ? '{type: Recreate}' : '{type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}'}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: '${o.image ?? 'kinglet-test/busybox:1'}'}]
`;

describe('kubectl: deployments, replica sets, garbage collection', () => {
  let srv: TestApiserver;
  let k: Kubectl;
  let kubelet: FakeKubelet;

  beforeAll(async () => {
    srv = await startApiserver();
    k = kubectlFor(srv);
    // images tagged "never-ready" never pass readiness: a stuck rollout
    kubelet = await startFakeKubelet(srv, { nodes: ['fake-1', 'fake-2'], readyAfterMs: 300, ready: (p) => !String(p.spec.containers[0].image).includes('never-ready') });
  }, 60_000);

  afterAll(async () => {
    await kubelet?.stop();
    await srv?.stop();
    k?.cleanup();
  });

  const apply = (yaml: string) => k.ok(['apply', '-f', '-'], { input: yaml });
  const getJson = async (...args: string[]) => JSON.parse(await k.ok(['get', ...args, '-o', 'json']));
  const podsOf = async (app: string) => (await getJson('pods', '-l', `app=${app}`)).items as any[];
  const readyLive = (pods: any[]) => pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
  const rollout = (name: string, timeout = '60s') => k.ok(['rollout', 'status', `deployment/${name}`, `--timeout=${timeout}`], { timeoutMs: 90_000 });

  it('rolls a 4-replica Deployment to a new image with maxUnavailable 1, never below 3 Ready; history and undo', async () => {
    await apply(deploymentYaml('web'));
    expect(await rollout('web')).toContain('successfully rolled out');
    const rs1 = (await getJson('rs', '-l', 'app=web')).items;
    expect(rs1).toHaveLength(1);
    const hash = rs1[0].metadata.labels['pod-template-hash'];
    expect(rs1[0].metadata.name).toBe(`web-${hash}`);
    expect(rs1[0].spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs1[0].metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    expect((await podsOf('web')).every((p) => p.metadata.name.startsWith(`web-${hash}-`))).toBe(true);

    // sample Ready pods throughout the rollout
    let min = Infinity;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        min = Math.min(min, readyLive(await podsOf('web')).length);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await k.ok(['set', 'image', 'deployment/web', 'c=kinglet-test/busybox:2']);
    expect(await rollout('web')).toContain('successfully rolled out');
    sampling = false;
    await sampler;
    expect(min).toBeGreaterThanOrEqual(3);

    const d = await getJson('deployment', 'web');
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4, observedGeneration: d.metadata.generation });
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    const progressing = d.status.conditions.find((c: any) => c.type === 'Progressing');
    expect(progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(d.status.conditions.find((c: any) => c.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    const images = (await podsOf('web')).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0].image);
    expect(images).toEqual(Array(4).fill('kinglet-test/busybox:2'));

    const describe = await k.ok(['describe', 'deployment', 'web']);
    expect(describe).toMatch(/ScalingReplicaSet\s+.*Scaled up replica set web-\w+ from 0 to 1/);
    expect(describe).toContain(`Scaled down replica set web-${hash} from 4 to 3`);
    expect(await k.ok(['get', 'events', '--field-selector', `involvedObject.name=web-${hash}`])).toMatch(/SuccessfulCreate\s+replicaset\/web-\w+\s+Created pod: web-/);

    const history = await k.ok(['rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s/m);
    expect(await k.ok(['rollout', 'history', 'deployment/web', '--revision=1'])).toContain('kinglet-test/busybox:1');

    expect(await k.ok(['rollout', 'undo', 'deployment/web'])).toContain('rolled back');
    await rollout('web');
    const back = await getJson('deployment', 'web');
    expect(back.spec.template.spec.containers[0].image).toBe('kinglet-test/busybox:1');
    expect(back.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    // the first ReplicaSet came back (same hash) with the new revision; no third ReplicaSet
    const rss = (await getJson('rs', '-l', 'app=web')).items;
    expect(rss).toHaveLength(2);
    const again = rss.find((r: any) => r.metadata.name === `web-${hash}`);
    expect(again.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(again.spec.replicas).toBe(4);
    const h2 = await k.ok(['rollout', 'history', 'deployment/web']);
    expect(h2).toMatch(/^2\s/m);
    expect(h2).toMatch(/^3\s/m);
    expect(h2).not.toMatch(/^1\s/m);
  });

  it('kubectl scale, pause/resume and restart', async () => {
    await k.ok(['scale', 'deployment/web', '--replicas=6']);
    await until('6 ready', async () => readyLive(await podsOf('web')).length === 6 && (await getJson('deployment', 'web')).status.availableReplicas === 6, 30_000);
    const table = await k.ok(['get', 'deployment', 'web']);
    expect(table).toMatch(/web\s+6\/6\s+6\s+6/);

    await k.ok(['rollout', 'pause', 'deployment/web']);
    await until('paused condition', async () => (await getJson('deployment', 'web')).status.conditions.some((c: any) => c.reason === 'DeploymentPaused'));
    const before = (await getJson('rs', '-l', 'app=web')).items.length;
    await k.ok(['set', 'image', 'deployment/web', 'c=kinglet-test/busybox:3']);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await getJson('rs', '-l', 'app=web')).items.length).toBe(before);
    await k.ok(['rollout', 'resume', 'deployment/web']);
    await rollout('web');
    expect(readyLive(await podsOf('web')).map((p) => p.spec.containers[0].image)).toEqual(Array(6).fill('kinglet-test/busybox:3'));

    await k.ok(['rollout', 'restart', 'deployment/web']);
    await rollout('web');
    const d = await getJson('deployment', 'web');
    expect(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    expect(readyLive(await podsOf('web')).every((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'])).toBe(true);
  });

  it('a rollout that never becomes ready exceeds its progress deadline', async () => {
    await apply(deploymentYaml('stuck', { replicas: 2, deadline: 4 }));
    await rollout('stuck');
    await k.ok(['set', 'image', 'deployment/stuck', 'c=kinglet-test/never-ready:1']);
    const r = await k.run(['rollout', 'status', 'deployment/stuck', '--timeout=40s'], { timeoutMs: 60_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('exceeded its progress deadline');
    const d = await getJson('deployment', 'stuck');
    expect(d.status.conditions.find((c: any) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    // maxUnavailable 1 of 2: one old pod keeps serving
    expect(readyLive(await podsOf('stuck')).length).toBeGreaterThanOrEqual(1);
  });

  it('Recreate removes every old pod before a new one exists; revisionHistoryLimit prunes', async () => {
    await apply(deploymentYaml('rec', { replicas: 3, strategy: 'Recreate', history: 1 }));
    await rollout('rec');
    let overlap = false;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const imgs = new Set((await podsOf('rec')).map((p) => p.spec.containers[0].image));
        if (imgs.size > 1) overlap = true;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    for (const tag of ['2', '3']) {
      await k.ok(['set', 'image', 'deployment/rec', `c=kinglet-test/busybox:${tag}`]);
      await rollout('rec');
    }
    sampling = false;
    await sampler;
    expect(overlap).toBe(false);
    // current + one old revision
    await until('history pruned', async () => (await getJson('rs', '-l', 'app=rec')).items.length === 2, 15_000);
  });

  it('a ReplicaSet replaces deleted pods and adopts a matching orphan', async () => {
    await k.ok(['run', 'loner', '--image=kinglet-test/busybox:1', '--labels=app=solo']);
    await apply(`
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: solo}
spec:
  replicas: 3
  selector: {matchLabels: {app: solo}}
  template:
    metadata: {labels: {app: solo}}
    spec: {containers: [{name: c, image: 'kinglet-test/busybox:1'}]}
`);
    await until('3 solo pods ready', async () => (await getJson('rs', 'solo')).status?.readyReplicas === 3, 20_000);
    const loner = await getJson('pod', 'loner');
    expect(loner.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'ReplicaSet', name: 'solo', controller: true })]);
    expect((await podsOf('solo')).length).toBe(3);
    const victim = (await podsOf('solo')).find((p) => p.metadata.name !== 'loner')!;
    await k.ok(['delete', 'pod', victim.metadata.name, '--wait=false']);
    await until('replaced', async () => {
      const pods = await podsOf('solo');
      return pods.length === 3 && !pods.some((p) => p.metadata.name === victim.metadata.name) && readyLive(pods).length === 3;
    }, 20_000);
    // after an apiserver restart the controller rebuilds its view first: no extra pods
    const names = (await podsOf('solo')).map((p) => p.metadata.name).sort();
    await srv.restart();
    await new Promise((r) => setTimeout(r, 3000));
    expect((await podsOf('solo')).map((p) => p.metadata.name).sort()).toEqual(names);
  });

  it('kubectl delete deployment removes its ReplicaSets and pods; --cascade=orphan leaves them; foreground waits', async () => {
    await k.ok(['delete', 'deployment', 'web']);
    await until('web gone', async () => (await getJson('rs', '-l', 'app=web')).items.length === 0 && (await podsOf('web')).length === 0, 20_000);

    await apply(deploymentYaml('keep', { replicas: 2 }));
    await rollout('keep');
    await k.ok(['delete', 'deployment', 'keep', '--cascade=orphan']);
    await until('deployment gone', async () => (await k.run(['get', 'deployment', 'keep'])).code !== 0, 15_000);
    const rss = (await getJson('rs', '-l', 'app=keep')).items;
    expect(rss).toHaveLength(1);
    expect(rss[0].metadata.ownerReferences ?? []).toEqual([]);
    expect(readyLive(await podsOf('keep')).length).toBe(2);
    // a new Deployment with the same selector adopts the orphaned ReplicaSet
    await apply(deploymentYaml('keep', { replicas: 2 }));
    await until('adopted', async () => (await getJson('rs', '-l', 'app=keep')).items[0]?.metadata.ownerReferences?.[0]?.kind === 'Deployment', 15_000);
    expect((await getJson('rs', '-l', 'app=keep')).items).toHaveLength(1);

    // a blocking dependent that cannot go yet (a finalizer of ours) holds a foreground deletion
    const owner = await getJson('deployment', 'keep');
    await apply(`
apiVersion: v1
kind: ConfigMap
metadata:
  name: keep-dep
  finalizers: [example.com/hold]
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: keep, uid: ${owner.metadata.uid}, blockOwnerDeletion: true}]
`);
    await k.ok(['delete', 'deployment', 'keep', '--cascade=foreground', '--wait=false']);
    await until('pods and ReplicaSets gone first', async () => (await getJson('rs', '-l', 'app=keep')).items.length === 0 && (await podsOf('keep')).length === 0, 20_000);
    const held = await getJson('deployment', 'keep');
    expect(held.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    expect((await getJson('configmap', 'keep-dep')).metadata.deletionTimestamp).toBeTruthy();
    await k.ok(['patch', 'configmap', 'keep-dep', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    await until('foreground done', async () => (await k.run(['get', 'deployment', 'keep'])).code !== 0, 20_000);
    expect((await getJson('rs', '-l', 'app=keep')).items).toHaveLength(0);
    expect((await podsOf('keep')).length).toBe(0);
  });
});
