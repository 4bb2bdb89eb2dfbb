import { describe, expect, it } from 'vitest';
import { historyToDelete, isScalingEvent, newReplicaSetReplicas, planProportionalScale, planRecreate, planRolling } from '../../../../apiserver/controllers/deployment-rollout.js';
import { fenceposts, findNewReplicaSet, newReplicaSetAnnotations, newReplicaSetFor } from '../../../../apiserver/controllers/deployment-util.js';
import { deployment, rs } from './builders.js';

const sizes = (m: Map<string, number>) => Object.fromEntries(m);

describe('fenceposts', () => {
  it('rounds surge up and unavailable down; both zero makes unavailable 1', () => {
    expect(fenceposts(deployment({ replicas: 10, maxSurge: '25%', maxUnavailable: '25%' }))).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(fenceposts(deployment({ replicas: 4, maxSurge: 0, maxUnavailable: '10%' }))).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(fenceposts(deployment({ replicas: 4, maxSurge: 2, maxUnavailable: 1 }))).toEqual({ maxSurge: 2, maxUnavailable: 1 });
  });
});

describe('rolling update, 4 replicas, maxSurge 1, maxUnavailable 1', () => {
  const d = deployment({ replicas: 4, maxSurge: 1, maxUnavailable: 1, image: 'x:2' });

  it('first surges the new ReplicaSet to 1 while the old one keeps 4', () => {
    expect(newReplicaSetReplicas(d, [rs('old', { replicas: 4 })], undefined)).toBe(1);
  });

  it('then scales the old one down by the unavailability budget only', () => {
    const old = rs('old', { replicas: 4, status: { replicas: 4, availableReplicas: 4 } });
    const cur = rs('new', { replicas: 1, status: { replicas: 1, availableReplicas: 0 } });
    expect(sizes(planRolling(d, cur, [old]))).toEqual({ old: 3 });
  });

  it('does not scale down again while the new pod is not available', () => {
    const old = rs('old', { replicas: 3, status: { replicas: 3, availableReplicas: 3 } });
    const cur = rs('new', { replicas: 1, status: { replicas: 1, availableReplicas: 0 } });
    // the new one may grow to 2 (total 5 = 4 + surge) but nothing old goes
    expect(sizes(planRolling(d, cur, [old]))).toEqual({ new: 2 });
    const full = rs('new', { replicas: 2, status: { replicas: 2, availableReplicas: 0 } });
    expect(sizes(planRolling(d, full, [old]))).toEqual({});
  });

  it('does not count old pods above spec twice when their status is stale', () => {
    const old = rs('old', { replicas: 3, status: { replicas: 4, availableReplicas: 4 } });
    const cur = rs('new', { replicas: 2, status: { replicas: 2, availableReplicas: 0 } });
    expect(sizes(planRolling(d, cur, [old]))).toEqual({});
  });

  it('removes unhealthy old pods first', () => {
    const old = rs('old', { replicas: 4, status: { replicas: 4, availableReplicas: 2 } });
    const cur = rs('new', { replicas: 1, status: { replicas: 1, availableReplicas: 1 } });
    expect(sizes(planRolling(d, cur, [old]))).toEqual({ old: 2 });
  });

  it('scales a too-large new ReplicaSet down to spec', () => {
    expect(sizes(planRolling(d, rs('new', { replicas: 6 }), []))).toEqual({ new: 4 });
  });
});

describe('recreate', () => {
  const d = deployment({ replicas: 3, strategy: 'Recreate' });
  it('scales old ReplicaSets to zero, waits for their pods, then creates and fills the new one', () => {
    expect(sizes(planRecreate(d, undefined, [rs('old', { replicas: 3 })], true).scales)).toEqual({ old: 0 });
    expect(planRecreate(d, undefined, [rs('old', { replicas: 0 })], true)).toEqual({ scales: new Map(), createNew: false });
    expect(planRecreate(d, undefined, [rs('old', { replicas: 0 })], false).createNew).toBe(true);
    expect(sizes(planRecreate(d, rs('new', { replicas: 0 }), [rs('old', { replicas: 0 })], false).scales)).toEqual({ new: 3 });
  });
});

describe('scaling events', () => {
  it('detects a changed spec.replicas from the desired-replicas annotation', () => {
    const a = rs('a', { replicas: 4, annotations: { 'deployment.kubernetes.io/desired-replicas': '4' } });
    expect(isScalingEvent(deployment({ replicas: 4 }), [a])).toBe(false);
    expect(isScalingEvent(deployment({ replicas: 8 }), [a])).toBe(true);
  });

  it('one active ReplicaSet takes the new size', () => {
    const d = deployment({ replicas: 7 });
    expect(sizes(planProportionalScale(d, rs('new', { replicas: 4 }), [rs('old', { replicas: 0 })]))).toEqual({ new: 7 });
  });

  it('mid-rollout the difference is spread by size (Kubernetes proportional scaling)', () => {
    // 10 replicas, surge 3: new 5 + old 8 = 13 = max; scaling to 20 allows 25 (surge 5)
    const ann = { 'deployment.kubernetes.io/max-replicas': '13' };
    const d = deployment({ replicas: 20, maxSurge: '25%', maxUnavailable: '25%' });
    const out = planProportionalScale(d, rs('new', { replicas: 5, annotations: ann, created: 2 }), [rs('old', { replicas: 8, annotations: ann, created: 1 })]);
    expect(out.get('new')! + out.get('old')!).toBe(25);
    expect(out.get('old')).toBeGreaterThan(out.get('new')!);
  });
});

describe('new ReplicaSet and revisions', () => {
  it('names it <deployment>-<hash> with the hash in labels and selector', () => {
    const d = deployment();
    const r = newReplicaSetFor(d, 3, 1);
    const hash = r.spec.template.metadata.labels['pod-template-hash'];
    expect(r.metadata.name).toBe(`web-${hash}`);
    expect(r.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(r.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5' });
    expect(r.metadata.ownerReferences![0]).toMatchObject({ kind: 'Deployment', name: 'web', uid: 'd-web', controller: true });
    expect(findNewReplicaSet(d, [rs('other', { image: 'y' }), r])).toBe(r);
  });

  it('an old template coming back (rollout undo) gets the next revision and remembers the old one', () => {
    const back = rs('a', { revision: 1 });
    expect(newReplicaSetAnnotations(deployment(), back, 3)).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(newReplicaSetAnnotations(deployment(), rs('b', { revision: 3, annotations: { 'deployment.kubernetes.io/desired-replicas': '4' } }), 3)).toBeUndefined();
  });

  it('history cleanup removes the oldest empty ReplicaSets beyond the limit', () => {
    const old = [1, 2, 3, 4].map((i) => rs(`r${i}`, { revision: i, replicas: i === 4 ? 1 : 0 }));
    expect(historyToDelete(deployment({ history: 1 }), old).map((r) => r.metadata.name)).toEqual(['r1', 'r2', 'r3']);
    expect(historyToDelete(deployment({ history: 10 }), old)).toEqual([]);
    // a ReplicaSet that still has pods is kept even when beyond the limit
    expect(historyToDelete(deployment({ history: 0 }), old).map((r) => r.metadata.name)).toEqual(['r1', 'r2', 'r3']);
  });
});
