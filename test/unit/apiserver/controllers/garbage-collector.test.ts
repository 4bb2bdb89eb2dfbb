import { describe, expect, it } from 'vitest';
import { resourceFor } from '../../../../api/resources.js';
import { OwnerGraph } from '../../../../apiserver/controllers/gc-graph.js';
import { planDependent, planForeground } from '../../../../apiserver/controllers/gc-plan.js';
import { resourceForRef } from '../../../../apiserver/controllers/garbage-collector.js';
import { KindHooks } from '../../../../apiserver/registry/hooks.js';
import { pod, rs, T } from './builders.js';

const RS = resourceFor('apps', 'replicasets')!;
const PODS = resourceFor('', 'pods')!;
const ref = (uid: string, block = true) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, controller: true, blockOwnerDeletion: block });

describe('gc plan', () => {
  it('deletes a dependent with no solid owner, strips dangling refs when some owner remains', () => {
    expect(planDependent([ref('a')], () => 'dangling', false)).toEqual({ action: 'delete', foreground: false });
    expect(planDependent([ref('a'), ref('b')], (o) => (o.uid === 'a' ? 'dangling' : 'solid'), false)).toEqual({ action: 'removeOwners', uids: ['a'] });
    expect(planDependent([ref('a')], () => 'solid', false)).toEqual({ action: 'none' });
    expect(planDependent([], () => 'dangling', false)).toEqual({ action: 'none' });
  });

  it('a dependent of a foreground owner goes in foreground when it has dependents itself', () => {
    expect(planDependent([ref('a')], () => 'foreground', true)).toEqual({ action: 'delete', foreground: true });
    expect(planDependent([ref('a')], () => 'foreground', false)).toEqual({ action: 'delete', foreground: false });
  });

  it('foreground waits for blocking dependents only', () => {
    const g = new OwnerGraph();
    g.apply(RS, rs('a'), 'ADDED');
    const blocking = pod('p1', { owner: 'a' });
    const loose = pod('p2');
    loose.metadata.ownerReferences = [ref('rs-a', false)];
    g.apply(PODS, blocking, 'ADDED');
    g.apply(PODS, loose, 'ADDED');
    const plan = planForeground('rs-a', g.dependents('rs-a'));
    expect(plan.remove.map((n) => n.name).sort()).toEqual(['p1', 'p2']);
    expect(plan.done).toBe(false);
    g.apply(PODS, blocking, 'DELETED');
    expect(planForeground('rs-a', g.dependents('rs-a')).done).toBe(true);
  });
});

describe('owner graph', () => {
  it('indexes dependents and names the uids to look at after each event', () => {
    const g = new OwnerGraph();
    // a dependent whose owner is not (yet) known is worth a look
    expect(g.apply(PODS, pod('p', { owner: 'a' }), 'ADDED')).toEqual(['pod-p']);
    expect(g.apply(RS, rs('a'), 'ADDED')).toEqual([]);
    expect(g.apply(PODS, pod('p', { owner: 'a' }), 'MODIFIED')).toEqual([]);
    expect(g.dependents('rs-a').map((n) => n.name)).toEqual(['p']);
    // the owner going away names its dependents
    expect(g.apply(RS, rs('a'), 'DELETED')).toEqual(['pod-p']);
    const orphaning = rs('b');
    orphaning.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    orphaning.metadata.finalizers = ['orphan'];
    expect(g.apply(RS, orphaning, 'MODIFIED')).toEqual(['rs-b']);
  });

  it('resolves owner references to resources', () => {
    expect(resourceForRef({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'x', uid: 'u' })?.plural).toBe('deployments');
    expect(resourceForRef({ apiVersion: 'v1', kind: 'Pod', name: 'x', uid: 'u' })?.plural).toBe('pods');
    expect(resourceForRef({ apiVersion: 'example.com/v1', kind: 'Thing', name: 'x', uid: 'u' })).toBeUndefined();
  });
});

describe('delete propagation in the registry hooks', () => {
  const hooks = new KindHooks('10.96.0.0/16');
  it('Orphan and Foreground keep the object with their finalizer; Background deletes now', () => {
    const r = rs('a');
    expect(hooks.planDelete(RS, r, { propagationPolicy: 'Background' }, T(0))).toEqual({});
    expect(hooks.planDelete(RS, r, {}, T(0))).toEqual({});
    const o = hooks.planDelete(RS, r, { propagationPolicy: 'Orphan' }, T(0)).object!;
    expect(o.metadata.finalizers).toEqual(['orphan']);
    expect(o.metadata.deletionTimestamp).toBeTruthy();
    const f = hooks.planDelete(RS, r, { propagationPolicy: 'Foreground' }, T(0)).object!;
    expect(f.metadata.finalizers).toEqual(['foregroundDeletion']);
    // a second delete of an object already being deleted adds nothing
    expect(hooks.planDelete(RS, f, { propagationPolicy: 'Orphan' }, T(1)).object!.metadata.finalizers).toEqual(['foregroundDeletion']);
  });
});
