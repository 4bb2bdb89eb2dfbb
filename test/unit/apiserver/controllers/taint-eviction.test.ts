import { describe, expect, it } from 'vitest';
import { evictionTime, planTaintEviction } from '../../../../apiserver/controllers/taint-eviction.js';
import type { KubeObject } from '../../../../api/types.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const D = { notReadySeconds: 300, unreachableSeconds: 30 };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(T0) };
const pod = (name: string, tolerations?: unknown[], phase = 'Running'): KubeObject => ({
  metadata: { name, namespace: 'ns' },
  spec: { nodeName: 'n1', ...(tolerations ? { tolerations } : {}) },
  status: { phase },
});
const node = (taints: unknown[]): KubeObject => ({ metadata: { name: 'n1' }, spec: { taints } });

describe('NoExecute taint eviction', () => {
  it('pods without their own toleration get the default tolerationSeconds for readiness taints', () => {
    expect(evictionTime(pod('a'), [unreachable], T0, D)).toBe(T0 + 30_000);
    expect(evictionTime(pod('a'), [{ ...unreachable, key: 'node.kubernetes.io/not-ready' }], T0, D)).toBe(T0 + 300_000);
  });

  it('an untolerated NoExecute taint evicts at once; a toleration without seconds keeps the pod forever', () => {
    expect(evictionTime(pod('a'), [{ key: 'maintenance', effect: 'NoExecute' }], T0 + 5, D)).toBe(T0 + 5);
    expect(evictionTime(pod('b', [{ key: 'maintenance', operator: 'Exists' }]), [{ key: 'maintenance', effect: 'NoExecute' }], T0, D)).toBeUndefined();
    expect(evictionTime(pod('c', [{ operator: 'Exists' }]), [unreachable], T0, D)).toBeUndefined();
  });

  it('the pod own tolerationSeconds wins, counted from when the taint was added', () => {
    const p = pod('a', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }]);
    expect(evictionTime(p, [unreachable], T0 + 1000, D)).toBe(T0 + 5000);
  });

  it('plans evictions that are due and the time of the next one; NoSchedule taints and finished pods never evict', () => {
    const pods = [pod('soon'), pod('forever', [{ operator: 'Exists' }]), pod('done', undefined, 'Succeeded')];
    const early = planTaintEviction(node([unreachable]), pods, T0 + 10_000, D);
    expect(early.evict).toEqual([]);
    expect(early.nextAtMs).toBe(T0 + 30_000);
    const due = planTaintEviction(node([unreachable]), pods, T0 + 30_000, D);
    expect(due.evict.map((p) => p.metadata.name)).toEqual(['soon']);
    expect(planTaintEviction(node([{ key: 'x', effect: 'NoSchedule' }]), pods, T0, D).evict).toEqual([]);
  });
});

describe('taint eviction controller', () => {
  it('evicts a due pod only after the startup delay, then at its tolerationSeconds', async () => {
    const { pino } = await import('pino');
    const { FakeClock } = await import('../../../../lib/clock.js');
    const { FakeRegistry } = await import('../../../fakes/fake-registry.js');
    const { resourceFor } = await import('../../../../api/resources.js');
    const { startTaintEvictionController } = await import('../../../../apiserver/controllers/taint-eviction.js');
    const PODS = resourceFor('', 'pods')!;
    const NODES = resourceFor('', 'nodes')!;
    const reg = new FakeRegistry();
    const clock = new FakeClock(T0);
    reg.seed(NODES, node([unreachable]));
    reg.seed(PODS, pod('p'));
    const ac = new AbortController();
    const c = startTaintEvictionController(reg, { defaults: D, startupDelayMs: 40_000, signal: ac.signal, log: pino({ level: 'silent' }), clock });
    const settle = () => new Promise((r) => setTimeout(r, 10));
    await c.synced;
    await settle();
    clock.advance(35_000); // the 30 s toleration has passed, the startup delay not yet
    await settle();
    expect(reg.calls.filter((l) => l.startsWith('delete pods'))).toEqual([]);
    clock.advance(6_000);
    await settle();
    expect(reg.calls.filter((l) => l.startsWith('delete pods'))).toEqual(['delete pods ns/p']);
    ac.abort();
    await c.done;
  });
});
