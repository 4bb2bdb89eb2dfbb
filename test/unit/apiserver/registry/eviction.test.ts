import { describe, expect, it } from 'vitest';
import { resourceFor } from '../../../../api/resources.js';
import { computeBudget } from '../../../../apiserver/registry/disruption-budget.js';
import { evictPod } from '../../../../apiserver/registry/pod-subresources.js';
import { pdbStatus } from '../../../../apiserver/controllers/disruption-controller.js';
import { ApiError } from '../../../../lib/errors.js';
import type { KubeObject } from '../../../../api/types.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';

const PODS = resourceFor('', 'pods')!;
const PDBS = resourceFor('policy', 'poddisruptionbudgets')!;
const admin = { user: { name: 'admin', groups: ['system:masters'] } };

const pod = (name: string, ready = true, labels: Record<string, string> = { app: 'web' }): KubeObject => ({
  metadata: { name, namespace: 'ns', labels },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const pdb = (spec: Record<string, any>): KubeObject => ({ metadata: { name: 'web', namespace: 'ns', generation: 1 }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
const evict = (reg: FakeRegistry, name: string) => evictPod(reg, 'ns', { metadata: { name } } as KubeObject, admin);

describe('disruption budget', () => {
  it('minAvailable, maxUnavailable and percentages (rounded up) against the covered pods', () => {
    const pods = [pod('a'), pod('b'), pod('c', false), pod('x', true, { app: 'other' })];
    expect(computeBudget(pdb({ minAvailable: 1 }), pods)).toEqual({ expectedPods: 3, currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1 });
    expect(computeBudget(pdb({ maxUnavailable: 1 }), pods)).toMatchObject({ desiredHealthy: 2, disruptionsAllowed: 0 });
    expect(computeBudget(pdb({ minAvailable: '50%' }), pods)).toMatchObject({ desiredHealthy: 2, disruptionsAllowed: 0 });
    expect(pdbStatus(pdb({ minAvailable: 1 }), pods, 'T').conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' });
  });
});

describe('pods/eviction', () => {
  it('deletes while the budget allows, then answers 429 naming the budget', async () => {
    const reg = new FakeRegistry();
    for (const n of ['a', 'b', 'c']) reg.seed(PODS, pod(n));
    reg.seed(PDBS, pdb({ minAvailable: 2 }));
    await evict(reg, 'a');
    expect(reg.peek(PODS, 'ns', 'a')?.metadata.deletionTimestamp).toBeTruthy();
    const err = await evict(reg, 'b').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe(429);
    expect(err.details.causes[0].message).toBe('The disruption budget web needs 2 healthy pods and has 2 currently');
    expect(reg.peek(PODS, 'ns', 'b')?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('parallel evictions never spend the same disruption twice', async () => {
    const reg = new FakeRegistry();
    for (const n of ['a', 'b', 'c', 'd']) reg.seed(PODS, pod(n));
    reg.seed(PDBS, pdb({ minAvailable: 3 }));
    const results = await Promise.allSettled(['a', 'b', 'c', 'd'].map((n) => evict(reg, n)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('an unready pod may go while the budget is met; pods without a budget always go', async () => {
    const reg = new FakeRegistry();
    reg.seed(PODS, pod('a'));
    reg.seed(PODS, pod('b'));
    reg.seed(PODS, pod('sick', false));
    reg.seed(PODS, pod('free', true, { app: 'none' }));
    reg.seed(PDBS, pdb({ minAvailable: 2 }));
    await expect(evict(reg, 'sick')).resolves.toMatchObject({ status: 'Success' });
    await expect(evict(reg, 'free')).resolves.toMatchObject({ status: 'Success' });
    await expect(evict(reg, 'a')).rejects.toThrow(/disruption budget/);
  });
});
