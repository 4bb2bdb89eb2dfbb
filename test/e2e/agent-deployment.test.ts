// A Deployment on a real agent + the test dockerd: 4 replicas of httpd (Ready when their httpGet
// readinessProbe answers, probed by the agent on the node bridge) roll to a new image tag with maxUnavailable 1 and never drop below 3 Ready pods; rollout undo
// brings the first template back. Run under the machine-wide Docker lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason, testDocker } from '../helpers/docker.js';
import { BUSYBOX_IMAGE, REGISTRY } from '../helpers/registry.js';
import { startAgentCluster, stopAgentCluster, until, type AgentCluster } from './agent-cluster.js';

const skip = await dockerSkipReason();
const REPO = `${REGISTRY}/kinglet-test/busybox`;
const NEW_TAG = 'rollout-2';

const yaml = (image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${image}
        imagePullPolicy: IfNotPresent
        command: [httpd, -f, -p, '8080', -h, /www]
        ports: [{containerPort: 8080}]
        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
`;

describe.skipIf(skip)('agent e2e: deployment rollout on dockerd', () => {
  let c: AgentCluster;
  const uids: string[] = [];

  beforeAll(async () => {
    c = await startAgentCluster();
  }, 90_000);

  afterAll(async () => {
    await stopAgentCluster(c, uids, [['delete', 'deployment', 'web', '--wait=false']]);
    await testDocker().getImage(`${REPO}:${NEW_TAG}`).remove({ noprune: true }).catch(() => undefined);
  }, 60_000);

  const pods = async () => JSON.parse(await c.k.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items as any[];
  const ready = (ps: any[]) => ps.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'));
  const rollout = () =>
    c.k.ok(['rollout', 'status', 'deployment/web', '--timeout=90s'], { timeoutMs: 120_000 }).catch(async (e: Error) => {
      const state = (await pods()).map((p) => ({ name: p.metadata.name, node: p.spec.nodeName, status: p.status }));
      throw new Error(`${e.message}\npods: ${JSON.stringify(state, null, 1).slice(0, 6000)}\nagent: ${c.agent.output().slice(-3000)}`);
    });

  it('rolls 4 replicas to a new tag never below 3 Ready, then rollout undo returns', async () => {
    await c.k.ok(['apply', '-f', '-'], { input: yaml(BUSYBOX_IMAGE) });
    expect(await rollout()).toContain('successfully rolled out');
    uids.push(...(await pods()).map((p) => p.metadata.uid));
    expect(ready(await pods())).toHaveLength(4);
    // the "new image": the same content under a new tag, present in dockerd (IfNotPresent)
    await testDocker().getImage(BUSYBOX_IMAGE).tag({ repo: REPO, tag: NEW_TAG });

    let min = Infinity;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const ps = await pods();
        uids.push(...ps.map((p) => p.metadata.uid));
        min = Math.min(min, ready(ps).length);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await c.k.ok(['set', 'image', 'deployment/web', `httpd=${REPO}:${NEW_TAG}`]);
    await rollout();
    await until('new pods only', async () => {
      const ps = ready(await pods());
      return ps.length === 4 && ps.every((p) => p.spec.containers[0].image === `${REPO}:${NEW_TAG}`);
    }, 60_000);
    await c.k.ok(['rollout', 'undo', 'deployment/web']);
    await rollout();
    await until('old template back', async () => {
      const ps = ready(await pods());
      return ps.length === 4 && ps.every((p) => p.spec.containers[0].image === BUSYBOX_IMAGE);
    }, 60_000);
    sampling = false;
    await sampler;
    expect(min).toBeGreaterThanOrEqual(3);
    const d = JSON.parse(await c.k.ok(['get', 'deployment', 'web', '-o', 'json']));
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 });
  }, 300_000);
});
