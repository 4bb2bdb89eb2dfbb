import { describe, expect, it } from 'vitest';
import { deleteFirst, planReplicaSet, podFromTemplate, slowStartBatches } from '../../../../apiserver/controllers/replicaset-plan.js';
import { pod, rs, T } from './builders.js';

describe('planReplicaSet', () => {
  it('creates the missing pods, capped by the burst', () => {
    const p = planReplicaSet(rs('a', { replicas: 3 }), [pod('x', { owner: 'a' })], T(0));
    expect(p.create).toBe(2);
    expect(planReplicaSet(rs('a', { replicas: 900 }), [], T(0)).create).toBe(500);
  });

  it('adopts matching orphans, ignores pods of other controllers and inactive pods, releases non-matching pods', () => {
    const pods = [
      pod('orphan'),
      pod('other', { owner: 'b' }),
      pod('done', { phase: 'Succeeded' }),
      pod('going', { owner: 'a', deleting: true }),
      pod('relabelled', { owner: 'a', labels: { app: 'db' } }),
    ];
    const p = planReplicaSet(rs('a', { replicas: 1 }), pods, T(0));
    expect(p.adopt.map((x) => x.metadata.name)).toEqual(['orphan']);
    expect(p.release.map((x) => x.metadata.name)).toEqual(['relabelled']);
    expect(p.owned.map((x) => x.metadata.name)).toEqual(['orphan']);
    expect(p.create).toBe(0);
    expect(p.remove).toEqual([]);
  });

  it('a ReplicaSet being deleted adopts and creates nothing', () => {
    const r = rs('a', { replicas: 3 });
    r.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    const p = planReplicaSet(r, [pod('orphan')], T(0));
    expect(p.adopt).toEqual([]);
    expect(p.create).toBe(0);
  });

  it('deletes the worst pods first: unscheduled, pending, not ready, newest', () => {
    const pods = [
      pod('ready-old', { owner: 'a', node: 'n', ready: true, readySince: 1, created: 1 }),
      pod('ready-new', { owner: 'a', node: 'n', ready: true, readySince: 5, created: 2 }),
      pod('notready', { owner: 'a', node: 'n', ready: false }),
      pod('pending', { owner: 'a', node: 'n', phase: 'Pending' }),
      pod('unscheduled', { owner: 'a', phase: 'Pending' }),
    ];
    const p = planReplicaSet(rs('a', { replicas: 1 }), pods, T(10));
    expect(p.remove.map((x) => x.metadata.name)).toEqual(['unscheduled', 'pending', 'notready', 'ready-new']);
  });

  it('prefers more restarts, then newer pods, among equals', () => {
    const a = pod('a', { node: 'n', created: 1, restarts: 3 });
    const b = pod('b', { node: 'n', created: 2 });
    const c = pod('c', { node: 'n', created: 3 });
    expect([c, b, a].sort(deleteFirst).map((x) => x.metadata.name)).toEqual(['a', 'c', 'b']);
  });

  it('status counts ready, available after minReadySeconds and fully labelled pods', () => {
    const r = rs('a', { replicas: 3 });
    r.spec.minReadySeconds = 10;
    r.spec.template.metadata.labels = { app: 'web', tier: 'fe' };
    const pods = [
      pod('p1', { owner: 'a', ready: true, readySince: 0, labels: { app: 'web', tier: 'fe' } }),
      pod('p2', { owner: 'a', ready: true, readySince: 15 }),
      pod('p3', { owner: 'a', ready: false }),
    ];
    expect(planReplicaSet(r, pods, T(20)).status).toEqual({ replicas: 3, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1, observedGeneration: 1 });
  });
});

describe('podFromTemplate and slow start', () => {
  it('copies the template and points the controller reference at the ReplicaSet', () => {
    const p = podFromTemplate(rs('a'));
    expect(p.metadata.generateName).toBe('a-');
    expect(p.metadata.labels).toEqual({ app: 'web' });
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: 'rs-a', controller: true, blockOwnerDeletion: true }]);
    expect(p.spec.containers[0].image).toBe('x');
  });

  it('batches double until the total is reached', () => {
    expect(slowStartBatches(10)).toEqual([1, 2, 4, 3]);
    expect(slowStartBatches(1)).toEqual([1]);
    expect(slowStartBatches(0)).toEqual([]);
    expect(slowStartBatches(1000).reduce((a, b) => a + b, 0)).toBe(1000);
  });
});
