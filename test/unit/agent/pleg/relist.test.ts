import { describe, expect, it } from 'vitest';
import { changedPods, snapshotOf } from '../../../../agent/pleg/relist.js';
import { RuntimePodLister } from '../../../../agent/pleg/runtime-cache.js';
import type { RuntimeContainer, RuntimePod } from '../../../../agent/runtime/runtime.js';

const c = (id: string, uid: string, state: RuntimeContainer['state'], exitCode?: number): RuntimeContainer => ({
  id, podUid: uid, podName: 'p', podNamespace: 'default', containerName: 'app', kind: 'app', specHash: 'h', restartCount: 0,
  image: 'i', imageId: 'sha256:i', state, exitCode, createdAt: '2026-01-01T00:00:00Z',
});
const pod = (uid: string, containers: RuntimeContainer[]): RuntimePod => ({ uid, name: uid, namespace: 'default', sandboxes: [], containers });

describe('relist diff', () => {
  it('reports pods whose containers appeared, vanished or changed state', () => {
    const a = snapshotOf([pod('u1', [c('1', 'u1', 'running')]), pod('u2', [c('2', 'u2', 'running')]), pod('u3', [c('3', 'u3', 'running')])]);
    const b = snapshotOf([pod('u1', [c('1', 'u1', 'running')]), pod('u2', [c('2', 'u2', 'exited', 1)]), pod('u4', [c('4', 'u4', 'created')])]);
    expect([...changedPods(a, b)].sort()).toEqual(['u2', 'u3', 'u4']);
    expect(changedPods(b, b).size).toBe(0);
  });
  it('an exit code change alone is a change', () => {
    const a = snapshotOf([pod('u1', [c('1', 'u1', 'exited', 0)])]);
    const b = snapshotOf([pod('u1', [c('1', 'u1', 'exited', 2)])]);
    expect([...changedPods(a, b)]).toEqual(['u1']);
  });
});

describe('RuntimePodLister', () => {
  it('batches concurrent callers and never serves a listing started before the request', async () => {
    let calls = 0;
    const resolvers: ((p: RuntimePod[]) => void)[] = [];
    const lister = new RuntimePodLister({ listPods: () => (calls++, new Promise((r) => resolvers.push(r))) });
    const first = lister.list();
    // arrive while the first list is in flight: they must wait for a second one, shared
    const later = [lister.list(), lister.list(), lister.pod('u2')];
    expect(calls).toBe(1);
    resolvers[0]!([pod('u1', [])]);
    expect(await first).toHaveLength(1);
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(2);
    resolvers[1]!([pod('u1', []), pod('u2', [])]);
    const [l1, l2, p2] = await Promise.all(later);
    expect(l1).toHaveLength(2);
    expect(l2).toBe(l1);
    expect((p2 as RuntimePod).uid).toBe('u2');
    expect(calls).toBe(2);
  });
  it('a failed list rejects its callers but the next call lists again', async () => {
    let n = 0;
    const lister = new RuntimePodLister({ listPods: async () => { if (n++ === 0) throw new Error('boom'); return []; } });
    await expect(lister.list()).rejects.toThrow('boom');
    await expect(lister.list()).resolves.toEqual([]);
  });
});
