import { describe, expect, it } from 'vitest';
import { BackoffTable, crashKey } from '../../../../agent/podworker/backoff.js';
import { computePodActions, type PodActionsContext } from '../../../../agent/podworker/pod-actions.js';
import { hashOf, iso, makePod, rc, rpod, sandbox, T0 } from './helpers.js';

const ctx = (over: Partial<PodActionsContext> = {}): PodActionsContext => ({ now: T0 + 60_000, backoff: new BackoffTable(), specHash: hashOf, ...over });
const inits = [
  { name: 'i1', image: 'img:1' },
  { name: 'i2', image: 'img:1' },
];
const exited = (name: string, exitCode: number, extra: Record<string, any> = {}) =>
  rc({ containerName: name, state: 'exited', exitCode, finishedAt: iso(T0 + 1000), ...extra });

describe('computePodActions: sandbox', () => {
  it('fresh pod → create sandbox attempt 0 and start all app containers', () => {
    const a = computePodActions(makePod(), undefined, ctx());
    expect(a.createSandbox).toBe(true);
    expect(a.sandboxAttempt).toBe(0);
    expect(a.killPod).toBe(false);
    expect(a.containersToStart.map((s) => [s.container.name, s.restartCount])).toEqual([['app', 0]]);
  });

  it('fresh pod with init containers → sandbox and only the first init container', () => {
    const a = computePodActions(makePod({ initContainers: inits }), undefined, ctx());
    expect(a.createSandbox).toBe(true);
    expect(a.nextInitContainer?.container.name).toBe('i1');
    expect(a.containersToStart).toEqual([]);
  });

  it('dead sandbox → kill pod and recreate with the next attempt, containers restart counted', () => {
    const rp = rpod([rc({ containerName: 'app', restartCount: 2 })], [sandbox({ state: 'exited', restartCount: 1 })]);
    const a = computePodActions(makePod(), rp, ctx());
    expect(a.killPod).toBe(true);
    expect(a.createSandbox).toBe(true);
    expect(a.sandboxAttempt).toBe(2);
    expect(a.containersToStart[0]).toMatchObject({ restartCount: 3 });
  });

  it('sandbox without IP is not usable', () => {
    const a = computePodActions(makePod(), rpod([], [sandbox({ ip: undefined })]), ctx());
    expect(a.createSandbox).toBe(true);
    expect(a.sandboxAttempt).toBe(1);
  });

  it('hostNetwork sandbox needs no IP', () => {
    const a = computePodActions(makePod({ hostNetwork: true }), rpod([rc({ containerName: 'app' })], [sandbox({ ip: undefined })]), ctx());
    expect(a.createSandbox).toBe(false);
    expect(a.sandboxId).toBeDefined();
  });

  it('dead sandbox under Never after containers ran → no new sandbox, pod is done', () => {
    const rp = rpod([exited('app', 0)], [sandbox({ state: 'exited' })]);
    const a = computePodActions(makePod({ restartPolicy: 'Never' }), rp, ctx());
    expect(a.createSandbox).toBe(false);
    expect(a.terminal).toBe(true);
  });

  it('dead sandbox under OnFailure with all containers succeeded → nothing to recreate', () => {
    const rp = rpod([exited('app', 0)], [sandbox({ state: 'exited' })]);
    const a = computePodActions(makePod({ restartPolicy: 'OnFailure' }), rp, ctx());
    expect(a.createSandbox).toBe(false);
    expect(a.terminal).toBe(true);
  });
});

describe('computePodActions: init containers', () => {
  const pod = (policy = 'Always') => makePod({ initContainers: inits, restartPolicy: policy });

  it('runs init containers strictly in order', () => {
    expect(computePodActions(pod(), rpod([]), ctx()).nextInitContainer?.container.name).toBe('i1');
    const running = computePodActions(pod(), rpod([rc({ containerName: 'i1', kind: 'init' })]), ctx());
    expect(running.nextInitContainer).toBeUndefined();
    expect(running.containersToStart).toEqual([]);
    const second = computePodActions(pod(), rpod([exited('i1', 0, { kind: 'init' })]), ctx());
    expect(second.nextInitContainer?.container.name).toBe('i2');
    expect(second.containersToStart).toEqual([]);
  });

  it('starts app containers once every init container exited 0', () => {
    const a = computePodActions(pod(), rpod([exited('i1', 0, { kind: 'init' }), exited('i2', 0, { kind: 'init' })]), ctx());
    expect(a.nextInitContainer).toBeUndefined();
    expect(a.containersToStart.map((s) => s.container.name)).toEqual(['app']);
  });

  it('failed init container under Never fails the pod: no app containers, sandbox killed', () => {
    const a = computePodActions(pod('Never'), rpod([exited('i1', 1, { kind: 'init' })]), ctx());
    expect(a.initFailed).toEqual({ container: 'i1', exitCode: 1 });
    expect(a.killPod).toBe(true);
    expect(a.terminal).toBe(true);
    expect(a.containersToStart).toEqual([]);
    expect(a.nextInitContainer).toBeUndefined();
  });

  it.each(['OnFailure', 'Always'])('failed init container under %s is retried with restartCount+1', (policy) => {
    const a = computePodActions(pod(policy), rpod([exited('i1', 2, { kind: 'init', restartCount: 0 })]), ctx());
    expect(a.initFailed).toBeUndefined();
    expect(a.nextInitContainer).toMatchObject({ restartCount: 1, previousFinishedAt: T0 + 1000 });
  });

  it('failed init container inside its back-off waits', () => {
    const backoff = new BackoffTable();
    backoff.next(crashKey('uid-1', 'i1'), T0, T0);
    const a = computePodActions(pod('OnFailure'), rpod([exited('i1', 2, { kind: 'init', restartCount: 1 })]), ctx({ backoff, now: T0 + 5000 }));
    expect(a.nextInitContainer).toBeUndefined();
    expect(a.backoff).toEqual([{ container: 'i1', until: T0 + 11_000, delaySec: 10, message: 'back-off 10s restarting failed container=i1 pod=web_default(uid-1)' }]);
  });

  it('init containers of an older sandbox do not count in a new one', () => {
    const sb = sandbox({ createdAt: iso(T0 + 5000) });
    const a = computePodActions(pod(), rpod([exited('i1', 0, { kind: 'init', createdAt: iso(T0) })], [sb]), ctx());
    expect(a.nextInitContainer).toMatchObject({ restartCount: 1 });
    expect(a.nextInitContainer?.container.name).toBe('i1');
  });

  it('an initialized pod never reruns init containers', () => {
    const a = computePodActions(pod(), rpod([rc({ containerName: 'app' })]), ctx());
    expect(a.nextInitContainer).toBeUndefined();
    expect(a.containersToStart).toEqual([]);
  });
});

describe('computePodActions: restart policies and CrashLoopBackOff', () => {
  const table: [string, number, boolean][] = [
    ['Always', 0, true],
    ['Always', 1, true],
    ['OnFailure', 0, false],
    ['OnFailure', 1, true],
    ['Never', 0, false],
    ['Never', 1, false],
  ];
  it.each(table)('restartPolicy %s, exit %i → restart %s', (policy, code, restart) => {
    const a = computePodActions(makePod({ restartPolicy: policy }), rpod([exited('app', code)]), ctx());
    expect(a.containersToStart.length > 0).toBe(restart);
    if (!restart) {
      // nothing runs and nothing will: the sandbox goes
      expect(a.killPod).toBe(true);
      expect(a.terminal).toBe(true);
    } else {
      expect(a.containersToStart[0]).toMatchObject({ restartCount: 1, previousFinishedAt: T0 + 1000 });
    }
  });

  it('back-off delays 10/20/40/…/300 s between restarts', () => {
    const backoff = new BackoffTable();
    const key = crashKey('uid-1', 'app');
    let t = T0;
    const delays: number[] = [];
    for (let restart = 0; restart < 8; restart++) {
      const finished = t + 1000;
      const rp = rpod([exited('app', 1, { restartCount: restart, finishedAt: iso(finished) })]);
      // right after the crash
      const now = computePodActions(makePod(), rp, ctx({ backoff, now: finished }));
      if (now.containersToStart.length) {
        // not in back-off: restart at once (first crash)
        t = finished;
      } else {
        const w = now.backoff[0]!;
        delays.push(w.delaySec);
        expect(w.until).toBe(finished + w.delaySec * 1000);
        // one ms before the window ends: still waiting; at the end: restart
        expect(computePodActions(makePod(), rp, ctx({ backoff, now: w.until - 1 })).containersToStart).toEqual([]);
        const later = computePodActions(makePod(), rp, ctx({ backoff, now: w.until }));
        expect(later.containersToStart).toHaveLength(1);
        t = w.until;
      }
      backoff.next(key, finished, t); // what sync-pod does when it restarts it
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 300, 300]);
  });

  it('back-off resets after the container ran 10 minutes', () => {
    const backoff = new BackoffTable();
    const key = crashKey('uid-1', 'app');
    backoff.next(key, T0, T0);
    backoff.next(key, T0 + 1000, T0 + 1000); // 20 s pending
    const finished = T0 + 1000 + 600_000;
    const a = computePodActions(makePod(), rpod([exited('app', 1, { restartCount: 2, finishedAt: iso(finished) })]), ctx({ backoff, now: finished + 1 }));
    expect(a.backoff).toEqual([]);
    expect(a.containersToStart).toHaveLength(1);
  });

  it('a container that failed to start (created with error) counts as exited', () => {
    const a = computePodActions(makePod({ restartPolicy: 'Never' }), rpod([rc({ containerName: 'app', state: 'created', error: 'exec: not found', startedAt: undefined })]), ctx());
    expect(a.containersToStart).toEqual([]);
    expect(a.terminal).toBe(true);
  });

  it('a created-never-started container is replaced', () => {
    const c = rc({ containerName: 'app', state: 'created', startedAt: undefined });
    const a = computePodActions(makePod(), rpod([c]), ctx());
    expect(a.containersToKill).toMatchObject([{ id: c.id, reason: 'unknown state' }]);
    expect(a.containersToStart).toMatchObject([{ restartCount: 1 }]);
  });
});

describe('computePodActions: spec changes, probes, deletion, deadline', () => {
  it('running container whose spec hash changed is killed and recreated', () => {
    const c = rc({ containerName: 'app', specHash: 'h-img:0', restartCount: 3 });
    const a = computePodActions(makePod(), rpod([c]), ctx());
    expect(a.containersToKill).toEqual([{ id: c.id, name: 'app', reason: 'spec changed', message: 'Container app definition changed, will be restarted', graceSeconds: 30 }]);
    expect(a.containersToStart).toMatchObject([{ restartCount: 4, reason: 'spec changed' }]);
    expect(a.killPod).toBe(false);
  });

  it('failed liveness probe → kill with the probe grace and restart', () => {
    const c = rc({ containerName: 'app' });
    const pod = makePod({ containers: [{ name: 'app', image: 'img:1', livenessProbe: { exec: { command: ['x'] }, terminationGracePeriodSeconds: 5 } }] });
    const a = computePodActions(pod, rpod([c]), ctx({ liveness: new Map([['app', 'failure']]) }));
    expect(a.containersToKill).toMatchObject([{ id: c.id, reason: 'failed liveness probe', graceSeconds: 5, message: 'Container app failed liveness probe, will be restarted' }]);
    expect(a.containersToStart).toMatchObject([{ restartCount: 1 }]);
  });

  it('failed liveness probe under Never → kill only', () => {
    const a = computePodActions(makePod({ restartPolicy: 'Never' }), rpod([rc({ containerName: 'app' })]), ctx({ liveness: new Map([['app', 'failure']]) }));
    expect(a.containersToKill).toHaveLength(1);
    expect(a.containersToStart).toEqual([]);
  });

  it('healthy running pod → nothing to do', () => {
    const a = computePodActions(makePod(), rpod([rc({ containerName: 'app' })]), ctx({ liveness: new Map([['app', 'success']]) }));
    expect(a).toMatchObject({ killPod: false, createSandbox: false, containersToStart: [], containersToKill: [], backoff: [], terminal: false });
  });

  it('deleted pod → kill all with the deletion grace', () => {
    const pod = makePod({ terminationGracePeriodSeconds: 60 }, { deletionTimestamp: iso(T0), deletionGracePeriodSeconds: 10 });
    const a = computePodActions(pod, rpod([rc({ containerName: 'app' })]), ctx());
    expect(a).toMatchObject({ killPod: true, killGraceSeconds: 10, terminal: true, createSandbox: false });
  });

  it('deleted pod without deletion grace → the spec grace', () => {
    const pod = makePod({ terminationGracePeriodSeconds: 7 }, { deletionTimestamp: iso(T0) });
    expect(computePodActions(pod, undefined, ctx()).killGraceSeconds).toBe(7);
  });

  it('activeDeadlineSeconds passed → kill, no start, deadline flagged', () => {
    const pod = makePod({ activeDeadlineSeconds: 30 }, {}, { startTime: iso(T0) });
    const a = computePodActions(pod, rpod([rc({ containerName: 'app' })]), ctx({ now: T0 + 30_000 }));
    expect(a).toMatchObject({ deadlineExceeded: true, killPod: true, terminal: true, containersToStart: [] });
    expect(computePodActions(pod, rpod([rc({ containerName: 'app' })]), ctx({ now: T0 + 29_000 })).deadlineExceeded).toBe(false);
  });

  it('terminal phase is never restarted', () => {
    const pod = makePod({}, {}, { phase: 'Succeeded' });
    const a = computePodActions(pod, rpod([exited('app', 0)], [sandbox({ state: 'exited' })]), ctx());
    expect(a).toMatchObject({ terminal: true, createSandbox: false, killPod: false });
  });
});
