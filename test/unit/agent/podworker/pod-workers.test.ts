import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../api/types.js';
import { FakeClock } from '../../../../lib/clock.js';
import { PodWorkers } from '../../../../agent/podworker/pod-workers.js';
import { withForcedGrace } from '../../../../agent/podworker/instances.js';
import { planningView } from '../../../../agent/podworker/planning-view.js';
import { harness, iso, makePod, T0 } from './helpers.js';

function setup(synced = true) {
  const h = harness();
  const clock = new FakeClock(T0);
  h.deps.now = () => clock.now();
  h.runtime.now = () => clock.now();
  const statuses: { rv: string | undefined; status: any }[] = [];
  const terminated: string[] = [];
  let isSynced = synced;
  const workers = new PodWorkers({
    deps: h.deps,
    clock,
    resyncMs: 10_000,
    isSynced: () => isSynced,
    status: {
      setPodStatus: (pod, status) => statuses.push({ rv: pod.metadata.resourceVersion, status }),
      podTerminated: (pod) => terminated.push(pod.metadata.uid!),
    },
  });
  return { h, clock, workers, statuses, terminated, open: () => (isSynced = true) };
}

/** Block the runtime at the first call of `method` until release() is called. */
function hold(h: ReturnType<typeof harness>, method: string) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let reached!: () => void;
  const atGate = new Promise<void>((r) => (reached = r));
  let once = false;
  h.runtime.gate = async (m) => {
    if (m === method && !once) {
      once = true;
      reached();
      await released;
    }
  };
  return { release, atGate };
}

const v = (rv: string, extra: Record<string, any> = {}): KubeObject => {
  const p = makePod();
  p.metadata.resourceVersion = rv;
  Object.assign(p.metadata, extra);
  return p;
};

describe('PodWorkers', () => {
  it('syncs a new pod and publishes a Running status', async () => {
    const { h, workers, statuses } = setup();
    workers.update(v('1'));
    await workers.whenIdle();
    expect(h.runtime.calls).toContain('startContainer app#0');
    expect(statuses.at(-1)!.status.phase).toBe('Running');
    expect(statuses.at(-1)!.status.hostIP).toBe('192.168.1.10');
    expect(statuses.at(-1)!.status.podIP).toMatch(/^10\.244\./);
  });

  it('two updates while syncing → exactly one more sync, with the latest pod', async () => {
    const { h, workers, statuses } = setup();
    const g = hold(h, 'createContainer');
    workers.update(v('1'));
    await g.atGate;
    workers.update(v('2'));
    workers.update(v('3'));
    g.release();
    await workers.whenIdle();
    expect(statuses.map((s) => s.rv)).toEqual(['1', '3']);
    expect(h.runtime.calls.filter((c) => c.startsWith('createSandbox'))).toHaveLength(1);
  });

  it('a pending termination is never overwritten by an update', async () => {
    const { h, workers, terminated } = setup();
    workers.update(v('1'));
    await workers.whenIdle();
    const g = hold(h, 'stopContainer');
    workers.update(v('2', { deletionTimestamp: iso(T0), deletionGracePeriodSeconds: 5 }));
    await g.atGate;
    workers.update(v('3')); // stale update without deletion
    g.release();
    await workers.whenIdle();
    expect(h.runtime.calls.filter((c) => c.startsWith('stopContainer'))).toEqual(['stopContainer app#0 grace=5', 'stopContainer POD#0 grace=0']);
    expect(terminated).toEqual(['uid-1']);
    expect(h.volumes.calls.at(-1)).toBe('teardown uid-1');
    // further updates for the terminated uid do nothing
    h.runtime.calls.length = 0;
    workers.update(v('4'));
    await workers.whenIdle();
    expect(h.runtime.calls).toEqual([]);
    // the apiserver deleting it drops the worker
    workers.remove('uid-1');
    expect(workers.has('uid-1')).toBe(false);
  });

  it('a deletion aborts a running sync and terminates', async () => {
    const { h, workers, terminated } = setup();
    const g = hold(h, 'startContainer');
    workers.update(v('1'));
    await g.atGate;
    workers.update(v('2', { deletionTimestamp: iso(T0), deletionGracePeriodSeconds: 0 }));
    g.release();
    await workers.whenIdle();
    expect(terminated).toEqual(['uid-1']);
    // the app container may have been created beside the sandbox start, but never starts
    expect(h.runtime.calls.some((c) => c.startsWith('startContainer app'))).toBe(false);
  });

  it('remove() terminates and forgets the worker', async () => {
    const { h, workers, terminated } = setup();
    workers.update(v('1'));
    await workers.whenIdle();
    workers.remove('uid-1');
    await workers.whenIdle();
    expect(h.runtime.calls).toContain('stopContainer app#0 grace=30');
    expect(terminated).toEqual([]); // the apiserver already forgot it
    expect(workers.has('uid-1')).toBe(false);
  });

  it('its own status coming back from the apiserver does not sync again; any other change does', async () => {
    const { h, workers, statuses } = setup();
    workers.update(v('1'));
    await workers.whenIdle();
    const n = statuses.length;
    const echo = { ...v('2'), status: structuredClone(workers.lastStatus('uid-1')) };
    workers.update(echo);
    await workers.whenIdle();
    expect(statuses.length).toBe(n);
    // a label change (same status) syncs
    workers.update({ ...echo, metadata: { ...echo.metadata, resourceVersion: '3', labels: { tier: 'web' } } });
    await workers.whenIdle();
    expect(statuses.length).toBe(n + 1);
    // a status written by someone else (evicted: phase Failed) syncs, and the pod stops
    workers.update({ ...echo, metadata: { ...echo.metadata, resourceVersion: '4', labels: { tier: 'web' } }, status: { ...echo.status, phase: 'Failed' } });
    await workers.whenIdle();
    expect(h.runtime.calls).toContain('stopContainer app#0 grace=30');
  });

  it('a force delete during a graceful termination restarts it with the shorter grace', async () => {
    const { h, workers } = setup();
    workers.update(v('1'));
    await workers.whenIdle();
    const g = hold(h, 'stopContainer');
    const deleting = v('2', { deletionTimestamp: iso(T0), deletionGracePeriodSeconds: 30 });
    workers.update(deleting);
    await g.atGate; // stopping app with 30 s
    // the pod vanished from the API (--grace-period=0 --force): the held copy still says 30 s
    workers.remove('uid-1', withForcedGrace(deleting, 2));
    await new Promise((r) => setTimeout(r, 10));
    // the 30 s stop was given up (its call aborted) and the pod stopped with 2 s, without waiting
    expect(h.runtime.calls.filter((c) => c.startsWith('stopContainer'))).toEqual(['stopContainer app#0 grace=30', 'stopContainer app#0 grace=2', 'stopContainer POD#0 grace=0']);
    g.release();
    await workers.whenIdle();
    expect(workers.has('uid-1')).toBe(false);
  });

  it('withForcedGrace caps the grace a held copy carries, never lengthens it', () => {
    expect(withForcedGrace(v('1', { deletionTimestamp: iso(T0), deletionGracePeriodSeconds: 30 }), 2).metadata.deletionGracePeriodSeconds).toBe(2);
    expect(withForcedGrace(v('1'), 2).metadata.deletionGracePeriodSeconds).toBe(2); // spec default 30
    expect(withForcedGrace(makePod({ terminationGracePeriodSeconds: 0 }), 2).metadata.deletionGracePeriodSeconds).toBe(0);
  });

  it('syncAll kills runtime pods missing from the snapshot only once synced', async () => {
    const { h, workers, open } = setup(false);
    h.runtime.add({ podUid: 'orphan', containerName: 'POD', kind: 'sandbox', ip: '10.244.0.9' });
    h.runtime.add({ podUid: 'orphan', containerName: 'x', kind: 'app' });
    await workers.syncAll([v('1')]);
    await workers.whenIdle();
    expect(h.runtime.calls.filter((c) => c.startsWith('stopContainer'))).toEqual([]);
    open();
    await workers.syncAll([v('1')]);
    await workers.whenIdle();
    expect(h.runtime.calls.filter((c) => c.startsWith('stopContainer'))).toEqual(['stopContainer x#0 grace=2', 'stopContainer POD#0 grace=0']);
    expect(h.volumes.calls).toContain('teardown orphan');
    // the desired pod was untouched
    expect(h.runtime.calls.filter((c) => c.startsWith('createSandbox'))).toHaveLength(1);
  });

  it('an orphan with only exited containers is cleaned once, not on every snapshot', async () => {
    const { h, workers } = setup(true);
    h.runtime.add({ podUid: 'gone', containerName: 'x', kind: 'app', state: 'exited', exitCode: 0 });
    await workers.syncAll([]);
    await workers.whenIdle();
    await workers.syncAll([]);
    await workers.whenIdle();
    expect(h.volumes.calls.filter((c) => c === 'teardown gone')).toHaveLength(1);
  });

  it('syncAll after sync terminates workers no longer in the snapshot', async () => {
    const { h, workers } = setup(true);
    await workers.syncAll([v('1')]);
    await workers.whenIdle();
    await workers.syncAll([]);
    await workers.whenIdle();
    expect(h.runtime.calls).toContain('stopContainer app#0 grace=30');
  });

  it('nudge syncs at once; the periodic resync and back-off retry come from the clock', async () => {
    const { h, clock, workers, statuses } = setup();
    workers.update(v('1'));
    await workers.whenIdle();
    h.runtime.exit('app', 1);
    workers.nudge('uid-1');
    await workers.whenIdle();
    const starts = () => h.runtime.calls.filter((c) => c.startsWith('startContainer'));
    expect(starts().at(-1)).toBe('startContainer app#1'); // first crash: immediate restart
    clock.advance(1000);
    h.runtime.exit('app', 1);
    workers.nudge('uid-1');
    await workers.whenIdle();
    expect(statuses.at(-1)!.status.containerStatuses[0].state.waiting.reason).toBe('CrashLoopBackOff');
    expect(statuses.at(-1)!.status.containerStatuses[0].restartCount).toBe(1);
    clock.advance(10_000); // back-off over: the timer resyncs
    await workers.whenIdle();
    expect(starts().at(-1)).toBe('startContainer app#2');
    const n = statuses.length;
    clock.advance(10_000); // plain periodic resync
    await workers.whenIdle();
    expect(statuses.length).toBe(n + 1);
  });

  it('runtime errors never escape: the worker retries later', async () => {
    const { h, clock, workers, statuses } = setup();
    h.runtime.injectError('startContainer', new Error('daemon hiccup'));
    workers.update(v('1'));
    await workers.whenIdle();
    // sandbox start failed → event, no status crash
    expect(h.events.reasons()).toContain('FailedCreatePodSandBox');
    clock.advance(5_000);
    await workers.whenIdle();
    expect(statuses.at(-1)!.status.phase).toBe('Running');
  });

  it('stop() aborts and stays quiet', async () => {
    const { h, workers } = setup();
    workers.update(v('1'));
    await workers.whenIdle();
    await workers.stop();
    h.runtime.calls.length = 0;
    workers.update(v('2'));
    workers.nudge('uid-1');
    await workers.whenIdle();
    expect(h.runtime.calls).toEqual([]);
  });
});

describe('planningView', () => {
  it('uses our newest status but keeps foreign conditions and an apiserver terminal phase', () => {
    const pod = makePod({}, {}, { phase: 'Pending', conditions: [{ type: 'example.com/gate', status: 'True' }, { type: 'Ready', status: 'False' }] });
    const view = planningView(pod, { phase: 'Running', startTime: 'T', conditions: [{ type: 'Ready', status: 'True' }] });
    expect(view.status).toMatchObject({ phase: 'Running', startTime: 'T' });
    expect(view.status.conditions).toEqual([{ type: 'Ready', status: 'True' }, { type: 'example.com/gate', status: 'True' }]);
    const done = planningView(makePod({}, {}, { phase: 'Failed' }), { phase: 'Running' });
    expect(done.status.phase).toBe('Failed');
    expect(planningView(pod, undefined)).toBe(pod);
  });
});
