import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { resourceFor } from '../../../../api/resources.js';
import { runController } from '../../../../apiserver/controllers/run-controller.js';
import { FakeClock } from '../../../../lib/clock.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';

const CMS = resourceFor('', 'configmaps')!;
const log = pino({ level: 'silent' });
const cm = (ns: string, name: string) => ({ metadata: { name, namespace: ns }, data: {} });

describe('runController', () => {
  it('syncs initial objects, reports hasSynced, then follows live events', async () => {
    const reg = new FakeRegistry();
    reg.seed(CMS, cm('a', 'one'));
    reg.seed(CMS, cm('b', 'two'));
    const seen: string[] = [];
    const ac = new AbortController();
    const h = runController({
      name: 't', registry: reg, signal: ac.signal, log,
      watches: [{ ri: CMS, keyOf: (o) => `${o.metadata.namespace}/${o.metadata.name}` }],
      sync: async (k) => void seen.push(k),
    });
    await h.synced;
    expect(h.hasSynced()).toBe(true);
    await vi.waitFor(() => expect(seen.sort()).toEqual(['a/one', 'b/two']));
    reg.seed(CMS, cm('c', 'three'));
    await vi.waitFor(() => expect(seen).toContain('c/three'));
    ac.abort();
    await h.done;
    expect(h.hasSynced()).toBe(false);
    expect(reg.openWatches()).toBe(0);
  });

  it('maps objects to several keys and ignores undefined', async () => {
    const reg = new FakeRegistry();
    reg.seed(CMS, cm('a', 'one'));
    reg.seed(CMS, cm('a', 'skip'));
    const seen = new Set<string>();
    const ac = new AbortController();
    const h = runController({
      name: 't', registry: reg, signal: ac.signal, log,
      watches: [{ ri: CMS, keyOf: (o) => (o.metadata.name === 'skip' ? undefined : ['x', 'y']) }],
      sync: async (k) => void seen.add(k),
    });
    await vi.waitFor(() => expect([...seen].sort()).toEqual(['x', 'y']));
    ac.abort();
    await h.done;
  });

  it('retries a failing sync with backoff and forgets after success', async () => {
    const reg = new FakeRegistry();
    reg.seed(CMS, cm('a', 'one'));
    const clock = new FakeClock(0);
    let attempts = 0;
    const ac = new AbortController();
    const h = runController({
      name: 't', registry: reg, signal: ac.signal, log, clock,
      watches: [{ ri: CMS, keyOf: () => 'k' }],
      sync: async () => {
        attempts++;
        if (attempts < 3) throw new Error('boom');
      },
    });
    await vi.waitFor(() => expect(attempts).toBe(1));
    await vi.waitFor(() => expect(h.queue.numRequeues('k')).toBe(1));
    clock.advance(5);
    await vi.waitFor(() => expect(attempts).toBe(2));
    await vi.waitFor(() => expect(h.queue.numRequeues('k')).toBe(2));
    clock.advance(9);
    await new Promise((r) => setTimeout(r, 10));
    expect(attempts).toBe(2); // second retry waits 10 ms
    clock.advance(1);
    await vi.waitFor(() => expect(attempts).toBe(3));
    await vi.waitFor(() => expect(h.queue.numRequeues('k')).toBe(0));
    ac.abort();
    await h.done;
  });

  it('never runs one key in two workers at once', async () => {
    const reg = new FakeRegistry();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const ac = new AbortController();
    const h = runController({
      name: 't', registry: reg, signal: ac.signal, log, workers: 4,
      watches: [{ ri: CMS, keyOf: () => 'same' }],
      sync: async () => {
        active++;
        runs++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
      },
    });
    await h.synced;
    for (let i = 0; i < 5; i++) reg.seed(CMS, cm('a', `n${i}`));
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(2));
    await new Promise((r) => setTimeout(r, 30));
    expect(maxActive).toBe(1);
    ac.abort();
    await h.done;
  });

  it('resyncs every known key periodically and forgets deleted objects', async () => {
    const reg = new FakeRegistry();
    reg.seed(CMS, cm('a', 'one'));
    reg.seed(CMS, cm('a', 'two'));
    const clock = new FakeClock(0);
    const seen: string[] = [];
    const ac = new AbortController();
    const h = runController({
      name: 't', registry: reg, signal: ac.signal, log, clock, resyncMs: 1000,
      watches: [{ ri: CMS, keyOf: (o) => o.metadata.name }],
      sync: async (k) => void seen.push(k),
    });
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    await reg.delete(CMS, 'a', 'two', { user: { name: 'u', groups: [] } });
    await vi.waitFor(() => expect(seen).toHaveLength(3));
    seen.length = 0;
    clock.advance(1000);
    await vi.waitFor(() => expect(seen).toEqual(['one']));
    ac.abort();
    await h.done;
  });

  it('rewatches after an ERROR event', async () => {
    const reg = new FakeRegistry();
    const clock = new FakeClock(0);
    const sinks: ((ev: any) => void)[] = [];
    const origWatch = reg.watch.bind(reg);
    reg.watch = async (ri, ns, opts, sink) => {
      sinks.push(sink);
      return origWatch(ri, ns, opts, sink);
    };
    const ac = new AbortController();
    const seen: string[] = [];
    const h = runController({
      name: 't', registry: reg, signal: ac.signal, log, clock,
      watches: [{ ri: CMS, keyOf: (o) => o.metadata.name }],
      sync: async (k) => void seen.push(k),
    });
    await h.synced;
    sinks[0]({ type: 'ERROR', object: { message: 'too old resource version', metadata: {} } });
    expect(reg.openWatches()).toBe(0);
    reg.seed(CMS, cm('a', 'while-down'));
    clock.advance(60_000);
    await vi.waitFor(() => expect(reg.openWatches()).toBe(1));
    await vi.waitFor(() => expect(seen).toContain('while-down'));
    ac.abort();
    await h.done;
  });
});
