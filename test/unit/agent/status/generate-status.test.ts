import { describe, expect, it } from 'vitest';
import { generatePodStatus, type StatusContext } from '../../../../agent/status/generate-status.js';
import { iso, makePod, rc, rpod, sandbox, T0 } from '../podworker/helpers.js';

const ctx = (over: Partial<StatusContext> = {}): StatusContext => ({ now: T0 + 60_000, hostIP: '192.168.1.10', podIP: '10.244.0.5', ...over });
const cond = (s: any, type: string) => s.conditions.find((c: any) => c.type === type);
const inits = [
  { name: 'i1', image: 'img:1' },
  { name: 'i2', image: 'img:1' },
];

describe('generatePodStatus', () => {
  it('nothing started yet → Pending, ContainerCreating, startTime, IPs, qos', () => {
    const s = generatePodStatus(makePod(), undefined, ctx());
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses).toEqual([
      { name: 'app', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: 'img:1', imageID: '', started: false },
    ]);
    expect(s.startTime).toBe(iso(T0 + 60_000).replace('.000', ''));
    expect(s.hostIPs).toEqual([{ ip: '192.168.1.10' }]);
    expect(s.podIPs).toEqual([{ ip: '10.244.0.5' }]);
    expect(s.qosClass).toBe('BestEffort');
    expect(cond(s, 'PodReadyToStartContainers').status).toBe('False');
    expect(cond(s, 'PodScheduled').status).toBe('True');
    expect(s.initContainerStatuses).toBeUndefined();
  });

  it('keeps startTime once set and carries PodScheduled', () => {
    const pod = makePod({}, {}, { startTime: '2020-01-01T00:00:00Z', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }] });
    const s = generatePodStatus(pod, undefined, ctx());
    expect(s.startTime).toBe('2020-01-01T00:00:00Z');
    expect(cond(s, 'PodScheduled').lastTransitionTime).toBe('2020-01-01T00:00:00Z');
  });

  it('running container → Running, Ready, ids', () => {
    const c = rc({ containerName: 'app', id: 'abc', imageId: 'sha256:111' });
    const s = generatePodStatus(makePod(), rpod([c]), ctx());
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses[0]).toMatchObject({
      state: { running: { startedAt: '2024-01-01T00:00:00Z' } },
      ready: true,
      started: true,
      containerID: 'docker://abc',
      imageID: 'docker://sha256:111',
    });
    for (const t of ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready']) expect(cond(s, t).status).toBe('True');
  });

  it('readiness probe result drives ready; no result yet means not ready', () => {
    const pod = makePod({ containers: [{ name: 'app', image: 'img:1', readinessProbe: { exec: {} } }] });
    const c = rc({ containerName: 'app' });
    const notYet = generatePodStatus(pod, rpod([c]), ctx());
    expect(notYet.containerStatuses[0].ready).toBe(false);
    expect(cond(notYet, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    const ready = generatePodStatus(pod, rpod([c]), ctx({ probeReady: new Map([['app', true]]) }));
    expect(cond(ready, 'Ready').status).toBe('True');
  });

  it('startup probe not done → started false, not ready', () => {
    const pod = makePod({ containers: [{ name: 'app', image: 'img:1', startupProbe: { exec: {} } }] });
    const s = generatePodStatus(pod, rpod([rc({ containerName: 'app' })]), ctx({ startupDone: new Map([['app', false]]) }));
    expect(s.containerStatuses[0]).toMatchObject({ started: false, ready: false });
  });

  it('readiness gates: missing or False gate condition keeps Ready False', () => {
    const c = rc({ containerName: 'app' });
    const spec = { readinessGates: [{ conditionType: 'example.com/lb' }] };
    const missing = generatePodStatus(makePod(spec), rpod([c]), ctx());
    expect(cond(missing, 'ContainersReady').status).toBe('True');
    expect(cond(missing, 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist.' });
    const falseGate = generatePodStatus(makePod(spec, {}, { conditions: [{ type: 'example.com/lb', status: 'False' }] }), rpod([c]), ctx());
    expect(cond(falseGate, 'Ready').message).toBe('the status of pod readiness gate "example.com/lb" is not "True", but False');
    // the gate's own condition is carried
    expect(cond(falseGate, 'example.com/lb').status).toBe('False');
    const ok = generatePodStatus(makePod(spec, {}, { conditions: [{ type: 'example.com/lb', status: 'True' }] }), rpod([c]), ctx());
    expect(cond(ok, 'Ready').status).toBe('True');
  });

  it('Init:1/2 → first init done, second running, app PodInitializing', () => {
    const pod = makePod({ initContainers: inits });
    const rp = rpod([rc({ containerName: 'i1', kind: 'init', state: 'exited', exitCode: 0, finishedAt: iso(T0 + 1000) }), rc({ containerName: 'i2', kind: 'init' })]);
    const s = generatePodStatus(pod, rp, ctx());
    expect(s.phase).toBe('Pending');
    expect(s.initContainerStatuses.map((x: any) => Object.keys(x.state)[0])).toEqual(['terminated', 'running']);
    expect(s.initContainerStatuses[0]).toMatchObject({ ready: true, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(s.containerStatuses[0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(cond(s, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [i2]' });
  });

  it('Init:0/2 with nothing created → both init containers PodInitializing', () => {
    const s = generatePodStatus(makePod({ initContainers: inits }), rpod([]), ctx());
    expect(s.initContainerStatuses.map((x: any) => x.state.waiting.reason)).toEqual(['PodInitializing', 'PodInitializing']);
    expect(cond(s, 'PodReadyToStartContainers').status).toBe('True');
  });

  it('init failure under Never → Failed', () => {
    const pod = makePod({ initContainers: inits, restartPolicy: 'Never' });
    const s = generatePodStatus(pod, rpod([rc({ containerName: 'i1', kind: 'init', state: 'exited', exitCode: 3 })]), ctx());
    expect(s.phase).toBe('Failed');
    expect(s.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('CrashLoopBackOff: waiting with reason, lastState terminated, restartCount from labels', () => {
    const prev = rc({ containerName: 'app', restartCount: 2, state: 'exited', exitCode: 1, startedAt: iso(T0), finishedAt: iso(T0 + 2000), id: 'x2' });
    const older = rc({ containerName: 'app', restartCount: 1, state: 'exited', exitCode: 1, id: 'x1' });
    const wr = new Map([['app', { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=app pod=web_default(uid-1)' }]]);
    const s = generatePodStatus(makePod(), rpod([older, prev]), ctx({ waitingReasons: wr }));
    const cs = s.containerStatuses[0];
    expect(cs.restartCount).toBe(2);
    expect(cs.state).toEqual({ waiting: wr.get('app') });
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error', containerID: 'docker://x2', startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:00:02Z' });
    expect(s.phase).toBe('Running');
  });

  it('running after restarts: lastState is the previous instance', () => {
    const old = rc({ containerName: 'app', restartCount: 0, state: 'exited', exitCode: 137, oomKilled: true, id: 'o' });
    const cur = rc({ containerName: 'app', restartCount: 1, id: 'n' });
    const cs = generatePodStatus(makePod(), rpod([old, cur]), ctx()).containerStatuses[0];
    expect(cs.restartCount).toBe(1);
    expect(cs.state.running).toBeDefined();
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled', containerID: 'docker://o' });
  });

  it('termination message and ContainerCannotRun', () => {
    const ok = rc({ containerName: 'app', state: 'exited', exitCode: 0, id: 'done' });
    const s = generatePodStatus(makePod({ restartPolicy: 'Never' }), rpod([ok]), ctx({ terminationMessages: new Map([['done', 'bye']]) }));
    expect(s.phase).toBe('Succeeded');
    expect(s.containerStatuses[0].state.terminated).toMatchObject({ reason: 'Completed', message: 'bye' });
    expect(cond(s, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    const bad = rc({ containerName: 'app', state: 'created', error: 'exec: "nope": not found', startedAt: undefined });
    const t = generatePodStatus(makePod({ restartPolicy: 'Never' }), rpod([bad]), ctx()).containerStatuses[0].state.terminated;
    expect(t).toMatchObject({ exitCode: 128, reason: 'ContainerCannotRun', message: 'exec: "nope": not found' });
  });

  it('ErrImagePull waiting reason before any instance exists', () => {
    const s = generatePodStatus(makePod(), rpod([]), ctx({ waitingReasons: new Map([['app', { reason: 'ErrImagePull', message: 'not found' }]]) }));
    expect(s.containerStatuses[0].state).toEqual({ waiting: { reason: 'ErrImagePull', message: 'not found' } });
  });

  it('a pod-level failure (DeadlineExceeded) wins and terminal phases stick', () => {
    const s = generatePodStatus(makePod(), rpod([rc({ containerName: 'app' })]), ctx({ failure: { reason: 'DeadlineExceeded', message: 'too long' } }));
    expect(s).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded', message: 'too long' });
    const again = generatePodStatus(makePod({}, {}, s), rpod([rc({ containerName: 'app' })]), ctx());
    expect(again).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
  });

  it('keeps lastTransitionTime while a condition does not change', () => {
    const c = rc({ containerName: 'app' });
    const first = generatePodStatus(makePod(), rpod([c]), ctx({ now: T0 }));
    const second = generatePodStatus(makePod({}, {}, first), rpod([c]), ctx({ now: T0 + 99_000 }));
    expect(cond(second, 'Ready').lastTransitionTime).toBe(cond(first, 'Ready').lastTransitionTime);
    const third = generatePodStatus(makePod({}, {}, second), rpod([{ ...c, state: 'exited', exitCode: 1 }]), ctx({ now: T0 + 99_000 }));
    expect(cond(third, 'Ready').lastTransitionTime).toBe('2024-01-01T00:01:39Z');
  });

  it('qosClass Guaranteed from limits', () => {
    const pod = makePod({ containers: [{ name: 'app', image: 'img:1', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } }] });
    expect(generatePodStatus(pod, undefined, ctx()).qosClass).toBe('Guaranteed');
  });

  it('imageID with a digest is docker-pullable', () => {
    const s = generatePodStatus(makePod(), rpod([rc({ containerName: 'app', imageId: 'reg/img@sha256:ff' })]), ctx());
    expect(s.containerStatuses[0].imageID).toBe('docker-pullable://reg/img@sha256:ff');
  });

  it('sandbox state drives PodReadyToStartContainers', () => {
    const s = generatePodStatus(makePod(), rpod([], [sandbox({ state: 'exited' })]), ctx());
    expect(cond(s, 'PodReadyToStartContainers').status).toBe('False');
  });
});
