import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resourceFor } from '../../../../api/resources.js';
import { startScheduler, type SchedulerHandle } from '../../../../apiserver/scheduler/scheduler.js';
import { EventRecorder } from '../../../../apiserver/scheduler/event-recorder.js';
import { FakeClock } from '../../../../lib/clock.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';
import { node, pod } from './builders.js';

const PODS = resourceFor('', 'pods')!;
const NODES = resourceFor('', 'nodes')!;
const EVENTS = resourceFor('', 'events')!;
const log = pino({ level: 'silent' });

let running: SchedulerHandle | undefined;
afterEach(() => running?.stop());

describe('scheduler loop', () => {
  it('binds a pending pod to a ready node and records a Scheduled event', async () => {
    const reg = new FakeRegistry();
    reg.seed(NODES, node('n1'));
    reg.seed(PODS, pod('web'));
    running = startScheduler(reg, { log });
    await running.synced;
    await vi.waitFor(() => expect(reg.calls).toContain('create pods default/web binding'));
    expect(reg.peek(PODS, 'default', 'web')!.spec.nodeName).toBe('n1');
    await vi.waitFor(() => expect(reg.all(EVENTS, 'default')).toHaveLength(1));
    const ev = reg.all(EVENTS, 'default')[0];
    expect(ev).toMatchObject({
      reason: 'Scheduled',
      type: 'Normal',
      message: 'Successfully assigned default/web to n1',
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'uid-web', apiVersion: 'v1' },
      source: { component: 'default-scheduler' },
      count: 1,
    });
    expect(ev.metadata.name).toMatch(/^web\.[0-9a-f]+$/);
  });

  it('ignores pods for other schedulers and pods already bound', async () => {
    const reg = new FakeRegistry();
    reg.seed(NODES, node('n1'));
    reg.seed(PODS, pod('other', { spec: { schedulerName: 'my-scheduler' } }));
    reg.seed(PODS, pod('bound', { nodeName: 'n1' }));
    running = startScheduler(reg, { log });
    await running.synced;
    reg.seed(PODS, pod('mine'));
    await vi.waitFor(() => expect(reg.calls).toContain('create pods default/mine binding'));
    expect(reg.calls.filter((c) => c.includes('binding'))).toEqual(['create pods default/mine binding']);
  });

  it('without nodes: sets PodScheduled=False Unschedulable and a FailedScheduling event', async () => {
    const reg = new FakeRegistry();
    reg.seed(PODS, pod('web'));
    running = startScheduler(reg, { log });
    await vi.waitFor(() => expect(reg.all(EVENTS, 'default')).toHaveLength(1));
    const ev = reg.all(EVENTS, 'default')[0];
    expect(ev).toMatchObject({ reason: 'FailedScheduling', type: 'Warning', message: 'no nodes available to schedule pods', reportingComponent: 'default-scheduler' });
    const cond = reg.peek(PODS, 'default', 'web')!.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message: 'no nodes available to schedule pods' });
    expect(reg.calls).toContain('guaranteedUpdate pods default/web status');
  });

  it('retries at once when a suitable node appears', async () => {
    const reg = new FakeRegistry();
    reg.seed(NODES, node('small', { cpu: '1' }));
    reg.seed(PODS, pod('big', { cpu: '2' }));
    running = startScheduler(reg, { log, initialBackoffMs: 60_000, maxBackoffMs: 60_000 });
    await vi.waitFor(() => expect(reg.all(EVENTS, 'default').map((e) => e.reason)).toEqual(['FailedScheduling']));
    expect(reg.all(EVENTS, 'default')[0].message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    reg.seed(NODES, node('large', { cpu: '8' }));
    await vi.waitFor(() => expect(reg.peek(PODS, 'default', 'big')!.spec.nodeName).toBe('large'));
  });

  it('accounts for pods it just placed (assumed) before the watch confirms them', async () => {
    const reg = new FakeRegistry();
    reg.seed(NODES, node('a', { cpu: '1' }));
    reg.seed(NODES, node('b', { cpu: '1' }));
    reg.seed(PODS, pod('p1', { cpu: '800m' }));
    reg.seed(PODS, pod('p2', { cpu: '800m' }));
    running = startScheduler(reg, { log });
    await vi.waitFor(() => {
      const placed = ['p1', 'p2'].map((n) => reg.peek(PODS, 'default', n)!.spec.nodeName);
      expect(placed.sort()).toEqual(['a', 'b']);
    });
  });

  it('parks an unschedulable pod: no timer-driven retries, no status or event rewrites', async () => {
    const reg = new FakeRegistry();
    reg.seed(PODS, pod('web'));
    running = startScheduler(reg, { log, initialBackoffMs: 5, maxBackoffMs: 10 });
    await vi.waitFor(() => expect(reg.all(EVENTS, 'default')).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    const settled = reg.calls.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(reg.calls.slice(settled)).toEqual([]);
    expect(reg.calls.filter((c) => c === 'guaranteedUpdate pods default/web status')).toHaveLength(1);
  });

  it('retries parked pods when an assigned pod goes away', async () => {
    const reg = new FakeRegistry();
    reg.seed(NODES, node('n1', { cpu: '1' }));
    reg.seed(PODS, pod('hog', { cpu: '800m', nodeName: 'n1' }));
    reg.seed(PODS, pod('p', { cpu: '500m' }));
    running = startScheduler(reg, { log });
    await vi.waitFor(() => expect(reg.all(EVENTS, 'default').map((e) => e.reason)).toEqual(['FailedScheduling']));
    await reg.delete(PODS, 'default', 'hog', { user: { name: 'x', groups: [] }, gracePeriodSeconds: 0 });
    await vi.waitFor(() => expect(reg.peek(PODS, 'default', 'p')!.spec.nodeName).toBe('n1'));
  });

  it('retries a parked pod after unschedulableMaxMs even without a move event', async () => {
    const setup = async (unschedulableMaxMs?: number) => {
      const reg = new FakeRegistry();
      reg.seed(NODES, node('n1', { cpu: '1' }));
      reg.seed(PODS, pod('hog', { cpu: '800m', nodeName: 'n1' }));
      reg.seed(PODS, pod('p', { cpu: '500m' }));
      const s = startScheduler(reg, { log, unschedulableMaxMs });
      await vi.waitFor(() => expect(reg.all(EVENTS, 'default').map((e) => e.reason)).toEqual(['FailedScheduling']));
      // the hog finishing frees its cpu, but an assigned pod's update is not a move event
      reg.seed(PODS, pod('hog', { cpu: '800m', nodeName: 'n1', phase: 'Succeeded' }));
      return { reg, s };
    };
    const slow = await setup();
    await new Promise((r) => setTimeout(r, 300));
    expect(slow.reg.peek(PODS, 'default', 'p')!.spec.nodeName).toBeUndefined();
    slow.s.stop();
    const fast = await setup(100);
    running = fast.s;
    await vi.waitFor(() => expect(fast.reg.peek(PODS, 'default', 'p')!.spec.nodeName).toBe('n1'));
  });

  it('stops its watches on abort', async () => {
    const reg = new FakeRegistry();
    const ac = new AbortController();
    const s = startScheduler(reg, { log, signal: ac.signal });
    await s.synced;
    expect(reg.openWatches()).toBe(3);
    ac.abort();
    expect(reg.openWatches()).toBe(0);
  });
});

describe('EventRecorder', () => {
  it('folds repeats into a count bump written at most once a minute, then starts a new Event after the window', async () => {
    const reg = new FakeRegistry();
    const clock = new FakeClock(1_700_000_000_000);
    const rec = new EventRecorder(reg, { component: 'default-scheduler', user: { name: 's', groups: [] }, clock });
    const p = reg.seed(PODS, pod('web'));
    await rec.record(p, 'Warning', 'FailedScheduling', 'm1');
    clock.advance(30_000);
    const writes = reg.calls.length;
    await rec.record(p, 'Warning', 'FailedScheduling', 'm1');
    // within a minute of the last write: counted, not written
    expect(reg.calls.length).toBe(writes);
    let evs = reg.all(EVENTS, 'default');
    expect(evs).toHaveLength(1);
    expect(evs[0].count).toBe(1);
    await rec.record(p, 'Warning', 'FailedScheduling', 'm2');
    clock.advance(31_000);
    await rec.record(p, 'Warning', 'FailedScheduling', 'm1');
    evs = reg.all(EVENTS, 'default');
    const m1 = evs.find((e) => e.message === 'm1')!;
    expect(m1.count).toBe(3); // the deferred repeat lands with this bump
    expect(m1.lastTimestamp).not.toBe(m1.firstTimestamp);
    clock.advance(11 * 60_000);
    await rec.record(p, 'Warning', 'FailedScheduling', 'm1');
    evs = reg.all(EVENTS, 'default');
    expect(evs.map((e) => `${e.message}x${e.count}`).sort()).toEqual(['m1x1', 'm1x3', 'm2x1']);
  });

  it('creates a fresh Event when the folded one was deleted (found at the next bump)', async () => {
    const reg = new FakeRegistry();
    const clock = new FakeClock(1_700_000_000_000);
    const rec = new EventRecorder(reg, { component: 'c', user: { name: 's', groups: [] }, clock });
    const p = reg.seed(PODS, pod('web'));
    await rec.record(p, 'Normal', 'R', 'm');
    const [ev] = reg.all(EVENTS, 'default');
    await reg.delete(EVENTS, 'default', ev.metadata.name!, { user: { name: 'x', groups: [] } });
    clock.advance(60_000);
    await rec.record(p, 'Normal', 'R', 'm');
    expect(reg.all(EVENTS, 'default')).toHaveLength(1);
    expect(reg.all(EVENTS, 'default')[0].count).toBe(1);
  });
});
