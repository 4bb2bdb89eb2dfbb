import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { resourceFor } from '../../../../api/resources.js';
import { Expectations } from '../../../../apiserver/controllers/expectations.js';
import { startReplicaSetController } from '../../../../apiserver/controllers/replicaset-controller.js';
import { FakeClock } from '../../../../lib/clock.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';
import { rs } from './builders.js';

const RS = resourceFor('apps', 'replicasets')!;
const PODS = resourceFor('', 'pods')!;
const log = pino({ level: 'silent' });

async function until(fn: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('expectations', () => {
  it('hold a key until every creation and deletion was observed, or they expire', () => {
    const clock = new FakeClock(0);
    const e = new Expectations(clock, 1000);
    expect(e.satisfied('k')).toBe(true);
    e.expectCreations('k', 2);
    e.creationObserved('k');
    expect(e.satisfied('k')).toBe(false);
    e.creationObserved('k');
    expect(e.satisfied('k')).toBe(true);
    e.expectDeletions('k', ['a', 'b']);
    e.deletionObserved('k', 'a');
    e.deletionObserved('k', 'a');
    expect(e.satisfied('k')).toBe(false);
    clock.advance(1001);
    expect(e.satisfied('k')).toBe(true);
  });
});

describe('replicaset controller (fake registry)', () => {
  it('creates pods up to replicas, scales down, and reports status', async () => {
    const reg = new FakeRegistry();
    const ac = new AbortController();
    const h = startReplicaSetController(reg, { signal: ac.signal, log });
    await h.synced;
    reg.seed(RS, rs('a', { replicas: 5 }));
    const live = () => reg.all(PODS, 'default').filter((p) => !p.metadata.deletionTimestamp);
    await until(() => live().length === 5);
    expect(live().every((p) => p.metadata.ownerReferences?.[0]?.uid === reg.peek(RS, 'default', 'a')!.metadata.uid)).toBe(true);
    await until(() => reg.peek(RS, 'default', 'a')!.status?.replicas === 5);
    // a burst of resyncs must not create more than asked
    for (let i = 0; i < 20; i++) h.enqueue('default/a');
    await new Promise((r) => setTimeout(r, 100));
    expect(live().length).toBe(5);
    const cur = reg.peek(RS, 'default', 'a')!;
    reg.seed(RS, { ...cur, spec: { ...cur.spec, replicas: 2 } });
    await until(() => live().length === 2);
    await until(() => reg.peek(RS, 'default', 'a')!.status?.replicas === 2);
    ac.abort();
    await h.done;
  });

  it('adopts a matching orphan instead of creating a pod', async () => {
    const reg = new FakeRegistry();
    reg.seed(PODS, { metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Running' } });
    const ac = new AbortController();
    const h = startReplicaSetController(reg, { signal: ac.signal, log });
    reg.seed(RS, rs('a', { replicas: 1 }));
    await until(() => reg.peek(PODS, 'default', 'orphan')!.metadata.ownerReferences?.length === 1);
    await until(() => reg.peek(RS, 'default', 'a')!.status?.replicas === 1);
    expect(reg.all(PODS, 'default').length).toBe(1);
    ac.abort();
    await h.done;
  });

  it('waits for the pod listing before acting: existing pods are not created again (restart)', async () => {
    const reg = new FakeRegistry();
    const owner = reg.seed(RS, rs('a', { replicas: 2 }));
    for (const n of ['p1', 'p2'])
      reg.seed(PODS, { metadata: { name: n, namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: owner.metadata.uid!, controller: true }] }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Running' } });
    // the pod watch answers late, as a big listing would
    const slow: typeof reg.watch = async (ri, ns, o, sink) => {
      if (ri.plural === 'pods') await new Promise((r) => setTimeout(r, 100));
      return FakeRegistry.prototype.watch.call(reg, ri, ns, o, sink);
    };
    reg.watch = slow;
    const ac = new AbortController();
    const h = startReplicaSetController(reg, { signal: ac.signal, log });
    await h.synced;
    await until(() => reg.peek(RS, 'default', 'a')!.status?.replicas === 2);
    expect(reg.all(PODS, 'default').map((p) => p.metadata.name).sort()).toEqual(['p1', 'p2']);
    expect(reg.calls.filter((c) => c.startsWith('create pods') || c.startsWith('delete pods'))).toEqual([]);
    ac.abort();
    await h.done;
  });
});
