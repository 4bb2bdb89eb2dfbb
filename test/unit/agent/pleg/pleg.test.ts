import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Pleg } from '../../../../agent/pleg/pleg.js';
import type { RuntimeContainer, RuntimeEvent, RuntimePod } from '../../../../agent/runtime/runtime.js';

const c = (id: string, uid: string, state: RuntimeContainer['state']): RuntimeContainer => ({
  id, podUid: uid, podName: 'p', podNamespace: 'default', containerName: 'app', kind: 'app', specHash: 'h', restartCount: 0,
  image: 'i', imageId: 'i', state, createdAt: '2026-01-01T00:00:00Z',
});

describe('Pleg', () => {
  it('Docker events nudge at once; relists nudge only pods that changed', async () => {
    let emit!: (ev: RuntimeEvent) => void;
    let listing: RuntimePod[] = [{ uid: 'u1', name: 'a', namespace: 'default', sandboxes: [], containers: [c('1', 'u1', 'running')] }];
    const nudged: string[] = [];
    const pleg = new Pleg({
      runtime: { events: (cb) => ((emit = cb), () => undefined) },
      list: async () => listing,
      nudge: (uid) => nudged.push(uid),
      log: pino({ level: 'silent' }),
      relistMs: 1_000_000,
    });
    pleg.start();
    emit({ podUid: 'u9', containerId: 'x', action: 'die' });
    expect(nudged).toEqual(['u9']);
    expect([...(await pleg.relist())]).toEqual(['u1']);
    expect([...(await pleg.relist())]).toEqual([]);
    listing = [{ uid: 'u1', name: 'a', namespace: 'default', sandboxes: [], containers: [c('1', 'u1', 'exited')] }];
    expect([...(await pleg.relist())]).toEqual(['u1']);
    pleg.stop();
  });
});
