import { describe, expect, it } from 'vitest';
import { planContainerGc, planImageGc } from '../../../../agent/gc/plan.js';
import type { RuntimeContainer, RuntimePod } from '../../../../agent/runtime/runtime.js';

let seq = 0;
const c = (name: string, restartCount: number, state: RuntimeContainer['state'], kind: RuntimeContainer['kind'] = 'app'): RuntimeContainer => ({
  id: `${name}-${restartCount}-${seq++}`, podUid: 'u', podName: 'p', podNamespace: 'default', containerName: name, kind, specHash: 'h',
  restartCount, image: 'img', imageId: 'sha256:img', state, createdAt: new Date(1_700_000_000_000 + restartCount * 1000).toISOString(),
});
const pod = (uid: string, sandboxes: RuntimeContainer[], containers: RuntimeContainer[]): RuntimePod => ({ uid, name: uid, namespace: 'default', sandboxes, containers });

describe('planContainerGc', () => {
  it('keeps running containers and the newest exited instance per container, removes older ones', () => {
    const run = c('app', 3, 'running');
    const e2 = c('app', 2, 'exited');
    const e1 = c('app', 1, 'exited');
    const e0 = c('app', 0, 'exited');
    const init = c('init', 0, 'exited');
    const sbNew = c('POD', 0, 'running', 'sandbox');
    const sbOld = { ...c('POD', 0, 'exited', 'sandbox'), createdAt: '2020-01-01T00:00:00Z' };
    const out = planContainerGc({ pods: [pod('u', [sbNew, sbOld], [run, e2, e1, e0, init])], keepPods: new Set(['u']) });
    expect(out.sort()).toEqual([e1.id, e0.id, sbOld.id].sort());
  });
  it('removes everything of an unwanted pod only when nothing runs there', () => {
    const dead = pod('gone', [c('POD', 0, 'exited', 'sandbox')], [c('app', 0, 'exited')]);
    const live = pod('alive', [c('POD', 0, 'running', 'sandbox')], [c('app', 0, 'exited')]);
    const out = planContainerGc({ pods: [dead, live], keepPods: new Set() });
    expect(out.sort()).toEqual([...dead.sandboxes, ...dead.containers].map((x) => x.id).sort());
  });
});

describe('planImageGc', () => {
  const GB = 1024 ** 3;
  const images = [
    { id: 'old', tags: ['a:1'], size: 3 * GB, created: 100 },
    { id: 'mid', tags: ['b:1'], size: 3 * GB, created: 200 },
    { id: 'new', tags: ['c:1'], size: 3 * GB, created: 300 },
    { id: 'used', tags: ['d:1'], size: 3 * GB, created: 50 },
    { id: 'pause', tags: ['kinglet/pause:1'], size: 1 * GB, created: 10 },
  ];
  it('does nothing at or below the high threshold', () => {
    expect(planImageGc({ images, inUse: new Set(), pinned: new Set(), usedBytes: 85 * GB, capacityBytes: 100 * GB })).toEqual([]);
  });
  it('removes unused images oldest first down to the low threshold, never in-use or pinned ones', () => {
    // 90 % used: must free 10 GB to reach 80 % → old (3), mid (3), new (3) = 9 < 10 → all three
    const out = planImageGc({ images, inUse: new Set(['used']), pinned: new Set(['pause']), usedBytes: 90 * GB, capacityBytes: 100 * GB });
    expect(out).toEqual(['old', 'mid', 'new']);
    // 87 %: 7 GB → old, mid, new (3+3 = 6 < 7)
    expect(planImageGc({ images, inUse: new Set(['used']), pinned: new Set(['pause']), usedBytes: 86 * GB, capacityBytes: 100 * GB })).toEqual(['old', 'mid']);
  });
});
