import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { resourceFor } from '../../../../api/resources.js';
import type { KubeObject } from '../../../../api/types.js';
import { startDeploymentController } from '../../../../apiserver/controllers/deployment-controller.js';
import { newReplicaSetFor } from '../../../../apiserver/controllers/deployment-util.js';
import { startReplicaSetController } from '../../../../apiserver/controllers/replicaset-controller.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';
import { deployment } from './builders.js';

const DEPLOY = resourceFor('apps', 'deployments')!;
const RS = resourceFor('apps', 'replicasets')!;
const PODS = resourceFor('', 'pods')!;
const log = pino({ level: 'silent' });

async function until(fn: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Both controllers over one fake registry, plus a "kubelet" that makes every new pod Ready. */
function cluster() {
  const reg = new FakeRegistry();
  const ac = new AbortController();
  const rsc = startReplicaSetController(reg, { signal: ac.signal, log });
  const dc = startDeploymentController(reg, { signal: ac.signal, log });
  let minReady = Infinity;
  const readyPods = () => reg.all(PODS, 'default').filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.[0]?.status === 'True');
  const kubelet = setInterval(() => {
    for (const p of reg.all(PODS, 'default')) {
      if (p.status?.phase === 'Running') continue;
      reg.seed(PODS, { ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString() }] } });
    }
  }, 15);
  const sampler = setInterval(() => (minReady = Math.min(minReady, readyPods().length)), 2);
  return {
    reg,
    readyPods,
    minReady: () => minReady,
    resetMin: () => (minReady = Infinity),
    async stop() {
      clearInterval(kubelet);
      clearInterval(sampler);
      ac.abort();
      await Promise.all([rsc.done, dc.done]);
    },
  };
}

const sets = (reg: FakeRegistry) => reg.all(RS, 'default');
const complete = (reg: FakeRegistry) => reg.peek(DEPLOY, 'default', 'web')?.status?.conditions?.some((c: any) => c.reason === 'NewReplicaSetAvailable');

describe('deployment controller (fake registry, both controllers)', () => {
  it('rolls a template change with maxUnavailable 0 without ever dropping below replicas', async () => {
    const c = cluster();
    c.reg.seed(DEPLOY, deployment({ replicas: 3, maxSurge: 1, maxUnavailable: 0 }));
    await until(() => !!complete(c.reg) && c.readyPods().length === 3);
    const first = sets(c.reg)[0];
    expect(first.metadata.name).toBe(`web-${first.metadata.labels!['pod-template-hash']}`);
    c.resetMin();
    const d = c.reg.peek(DEPLOY, 'default', 'web')!;
    d.spec.template.spec.containers[0].image = 'x:2';
    c.reg.seed(DEPLOY, { ...d, status: d.status });
    await until(() => sets(c.reg).length === 2 && sets(c.reg).every((r) => (r.metadata.name === first.metadata.name ? r.spec.replicas === 0 : r.status?.availableReplicas === 3)));
    expect(c.minReady()).toBeGreaterThanOrEqual(3);
    const revisions = Object.fromEntries(sets(c.reg).map((r) => [r.metadata.name, r.metadata.annotations!['deployment.kubernetes.io/revision']]));
    expect(Object.values(revisions).sort()).toEqual(['1', '2']);
    await c.stop();
  });

  it('on a pod-template-hash collision bumps collisionCount and uses the next name', async () => {
    const c = cluster();
    const d = deployment({ replicas: 1 });
    // someone else's ReplicaSet already has the name this template hashes to
    const squatter: KubeObject = newReplicaSetFor(d, 1, 0);
    squatter.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Other', name: 'x', uid: 'other', controller: true }];
    squatter.spec.template.spec.containers[0].image = 'different';
    c.reg.seed(RS, squatter);
    c.reg.seed(DEPLOY, d);
    await until(() => c.reg.peek(DEPLOY, 'default', 'web')?.status?.collisionCount === 1 && sets(c.reg).length === 2);
    const mine = sets(c.reg).find((r) => r.metadata.name !== squatter.metadata.name)!;
    expect(mine.metadata.ownerReferences![0].uid).toBe('d-web');
    expect(mine.metadata.name).toBe(newReplicaSetFor({ ...d, status: { collisionCount: 1 } }, 1, 0).metadata.name);
    await c.stop();
  });
});
