import { describe, expect, it } from 'vitest';
import { VolumeError } from '../../../../agent/podworker/deps.js';
import { syncPod } from '../../../../agent/podworker/sync-pod.js';
import { terminatePod } from '../../../../agent/podworker/terminate-pod.js';
import { collectTerminationMessages } from '../../../../agent/podworker/termination-message.js';
import { harness, iso, makePod, T0 } from './helpers.js';

const sync = async (h: ReturnType<typeof harness>, pod = makePod()) => {
  const rp = (await h.runtime.listPods()).find((p) => p.uid === pod.metadata.uid);
  return syncPod(pod, rp, h.deps);
};

describe('syncPod with the fake runtime', () => {
  it('fresh pod: sandbox, volumes, image, create, start — in that order, with events', async () => {
    const h = harness();
    const r = await sync(h);
    expect(h.runtime.calls).toEqual(['createSandbox POD#0', 'startContainer POD#0', 'imageId img:1', 'createContainer app#0', 'startContainer app#0']);
    expect(h.volumes.calls).toEqual(['setup uid-1']);
    expect(h.events.events.map((e) => `${e.reason}: ${e.message}`)).toEqual([
      'Pulled: Container image "img:1" already present on machine',
      'Created: Created container app',
      'Started: Started container app',
    ]);
    expect(h.events.events[1]!.fieldPath).toBe('spec.containers{app}');
    expect(r.podIP).toMatch(/^10\.244\.0\./);
    expect(r.waitingReasons.size).toBe(0);
    // a second sync has nothing to do
    h.runtime.calls.length = 0;
    await sync(h);
    expect(h.runtime.calls).toEqual([]);
  });

  it('adopts healthy containers after an agent restart: nothing recreated', async () => {
    const h = harness();
    h.runtime.add({ podUid: 'uid-1', podName: 'web', containerName: 'POD', kind: 'sandbox', ip: '10.244.0.7', restartCount: 1 });
    h.runtime.add({ podUid: 'uid-1', podName: 'web', containerName: 'app', kind: 'app', specHash: 'h-img:1', restartCount: 3 });
    const r = await sync(h);
    expect(h.runtime.calls).toEqual([]);
    expect(r.podIP).toBe('10.244.0.7');
  });

  it('init containers one per sync, then the app', async () => {
    const h = harness();
    const pod = makePod({ initContainers: [{ name: 'i1', image: 'img:1' }, { name: 'i2', image: 'img:1' }] });
    await sync(h, pod);
    expect(h.runtime.calls.filter((c) => c.startsWith('start'))).toEqual(['startContainer POD#0', 'startContainer i1#0']);
    h.runtime.calls.length = 0;
    await sync(h, pod); // i1 still running: nothing
    expect(h.runtime.calls).toEqual([]);
    h.runtime.exit('i1', 0);
    await sync(h, pod);
    expect(h.runtime.calls.filter((c) => c.startsWith('start'))).toEqual(['startContainer i2#0']);
    h.runtime.exit('i2', 0);
    h.runtime.calls.length = 0;
    await sync(h, pod);
    expect(h.runtime.calls.filter((c) => c.startsWith('start'))).toEqual(['startContainer app#0']);
  });

  it('Always pull: Pulling then Pulled with duration', async () => {
    const h = harness();
    h.runtime.registry.add('reg/x:latest');
    const pod = makePod({ containers: [{ name: 'app', image: 'reg/x:latest' }] });
    await sync(h, pod);
    expect(h.runtime.calls).toContain('pullImage reg/x:latest');
    const pulled = h.events.events.find((e) => e.reason === 'Pulled')!;
    expect(pulled.message).toMatch(/^Successfully pulled image "reg\/x:latest" in [\d.]+s \([\d.]+s including waiting\)$/);
    expect(h.events.reasons()).toEqual(['Pulling', 'Pulled', 'Created', 'Started']);
  });

  it('pull failure → ErrImagePull, then ImagePullBackOff inside the window, then a retry', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'app', image: 'reg/missing:1', imagePullPolicy: 'IfNotPresent' }] });
    const r1 = await sync(h, pod);
    expect(r1.waitingReasons.get('app')).toEqual({ reason: 'ErrImagePull', message: 'manifest for reg/missing:1 not found' });
    expect(r1.retryAt).toBe(T0 + 10_000);
    expect(h.events.events.filter((e) => e.type === 'Warning').map((e) => e.message)).toEqual([
      'Failed to pull image "reg/missing:1": manifest for reg/missing:1 not found',
      'Error: ErrImagePull',
    ]);
    h.clock.t = T0 + 5000;
    h.runtime.calls.length = 0;
    const r2 = await sync(h, pod);
    expect(r2.waitingReasons.get('app')).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "reg/missing:1"' });
    expect(h.runtime.calls).not.toContain('pullImage reg/missing:1');
    expect(h.events.events.at(-2)).toMatchObject({ type: 'Normal', reason: 'BackOff', message: 'Back-off pulling image "reg/missing:1"' });
    h.clock.t = T0 + 10_000;
    const r3 = await sync(h, pod);
    expect(r3.waitingReasons.get('app')?.reason).toBe('ErrImagePull');
    expect(r3.retryAt).toBe(T0 + 30_000); // 20 s now
    h.runtime.registry.add('reg/missing:1');
    h.clock.t = T0 + 30_000;
    const r4 = await sync(h, pod);
    expect(r4.waitingReasons.size).toBe(0);
    expect(h.runtime.calls.at(-1)).toBe('startContainer app#0');
  });

  it('Never + absent image → ErrImageNeverPull, no pull', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'app', image: 'local:1', imagePullPolicy: 'Never' }] });
    const r = await sync(h, pod);
    expect(r.waitingReasons.get('app')).toEqual({ reason: 'ErrImageNeverPull', message: 'Container image "local:1" is not present with pull policy of Never' });
    expect(h.runtime.calls.some((c) => c.startsWith('pullImage'))).toBe(false);
    expect(h.events.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'ErrImageNeverPull' });
  });

  it('crash → immediate restart, crash again → CrashLoopBackOff with BackOff event, then restart after 10 s', async () => {
    const h = harness();
    await sync(h);
    h.clock.t = T0 + 1000;
    h.runtime.exit('app', 1);
    await sync(h);
    expect(h.runtime.calls.at(-1)).toBe('startContainer app#1');
    h.clock.t = T0 + 2000;
    h.runtime.exit('app', 1);
    const r = await sync(h);
    expect(r.waitingReasons.get('app')).toEqual({ reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=web_default(uid-1)' });
    expect(r.retryAt).toBe(T0 + 12_000);
    expect(h.events.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container app in pod web_default(uid-1)' });
    h.clock.t = T0 + 12_000;
    await sync(h);
    expect(h.runtime.calls.at(-1)).toBe('startContainer app#2');
  });

  it('spec change → Killing event, stop with grace, new container with restartCount+1', async () => {
    const h = harness();
    await sync(h);
    h.runtime.images.set('img:2', 'sha256:2');
    h.runtime.calls.length = 0;
    await sync(h, makePod({ terminationGracePeriodSeconds: 5, containers: [{ name: 'app', image: 'img:2', imagePullPolicy: 'IfNotPresent' }] }));
    expect(h.runtime.calls).toEqual(['stopContainer app#0 grace=5', 'imageId img:2', 'createContainer app#1', 'startContainer app#1']);
    expect(h.events.events.find((e) => e.reason === 'Killing')?.message).toBe('Container app definition changed, will be restarted');
  });

  it('config error → CreateContainerConfigError; create/start errors → their reasons', async () => {
    const h = harness();
    h.configs.configError = Object.assign(new Error('configmap "c" not found'), { reason: 'CreateContainerConfigError' });
    let r = await sync(h);
    expect(r.waitingReasons.get('app')).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "c" not found' });
    expect(h.events.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'Failed', message: 'Error: configmap "c" not found' });
    h.configs.configError = undefined;
    h.runtime.injectError('createContainer', new Error('no space'));
    r = await sync(h);
    expect(r.waitingReasons.get('app')?.reason).toBe('CreateContainerError');
    h.runtime.injectError('startContainer', new Error('oci runtime error'));
    r = await sync(h);
    expect(r.waitingReasons.get('app')?.reason).toBe('RunContainerError');
  });

  it('sandbox failure → FailedCreatePodSandBox, nothing else', async () => {
    const h = harness();
    h.runtime.injectError('createSandbox', new Error('network not found'));
    const r = await sync(h);
    expect(h.events.events).toMatchObject([{ type: 'Warning', reason: 'FailedCreatePodSandBox', message: 'Failed to create pod sandbox: network not found' }]);
    expect(h.volumes.calls).toEqual([]);
    expect(r.retryAt).toBeGreaterThan(T0);
  });

  it('ensurePodNetwork runs before the sandbox', async () => {
    const h = harness();
    const order: string[] = [];
    h.deps.ensurePodNetwork = async () => {
      order.push(`network (calls so far ${h.runtime.calls.length})`);
    };
    await sync(h);
    expect(order).toEqual(['network (calls so far 0)']);
  });

  it('volume failure → FailedMount warning and no containers', async () => {
    const h = harness();
    h.volumes.error = new VolumeError('MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found');
    await sync(h);
    expect(h.events.events).toMatchObject([{ type: 'Warning', reason: 'FailedMount', message: 'MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found' }]);
    expect(h.runtime.calls.some((c) => c.startsWith('createContainer'))).toBe(false);
  });

  it('activeDeadlineSeconds → containers killed, DeadlineExceeded failure', async () => {
    const h = harness();
    const pod = makePod({ activeDeadlineSeconds: 10 }, {}, { startTime: iso(T0) });
    await sync(h, pod);
    h.clock.t = T0 + 10_000;
    const r = await sync(h, pod);
    expect(r.failure).toEqual({ reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
    expect(h.runtime.calls.slice(-2)).toEqual(['stopContainer app#0 grace=30', 'stopContainer POD#0 grace=0']);
  });

  it('completed pod under Never → sandbox stopped, terminal', async () => {
    const h = harness();
    const pod = makePod({ restartPolicy: 'Never' });
    await sync(h, pod);
    h.runtime.exit('app', 0);
    const r = await sync(h, pod);
    expect(r.terminal).toBe(true);
    expect(h.runtime.calls.at(-1)).toBe('stopContainer POD#0 grace=0');
  });

  it('dead sandbox → everything killed and a new sandbox with the next attempt', async () => {
    const h = harness();
    await sync(h);
    h.runtime.exit('POD', 0);
    h.runtime.calls.length = 0;
    await sync(h);
    expect(h.runtime.calls).toEqual(['stopContainer app#0 grace=30', 'createSandbox POD#1', 'startContainer POD#1', 'imageId img:1', 'createContainer app#1', 'startContainer app#1']);
  });
});

describe('terminatePod', () => {
  it('stops app, then init, then sidecar containers, then the sandbox, then volumes, then reports', async () => {
    const h = harness();
    const pod = makePod({
      initContainers: [{ name: 'side', image: 'img:1', restartPolicy: 'Always' }],
      containers: [{ name: 'app', image: 'img:1' }],
    });
    for (let i = 0; i < 3; i++) {
      await sync(h, pod);
    }
    const terminated: string[] = [];
    h.runtime.calls.length = 0;
    const rp = (await h.runtime.listPods())[0];
    await terminatePod(pod, rp, 15, h.deps, { setPodStatus: () => undefined, podTerminated: (p) => terminated.push(p.metadata.uid!) });
    expect(h.runtime.calls).toEqual(['stopContainer app#0 grace=15', 'stopContainer side#0 grace=15', 'stopContainer POD#0 grace=0']);
    expect(h.volumes.calls.at(-1)).toBe('teardown uid-1');
    expect(terminated).toEqual(['uid-1']);
    expect(h.events.events.filter((e) => e.reason === 'Killing').map((e) => e.message)).toEqual(['Stopping container app', 'Stopping container side']);
  });

  it('a stop failure is reported and nothing is declared terminated', async () => {
    const h = harness();
    await sync(h);
    h.runtime.injectError('stopContainer', new Error('daemon gone'));
    const terminated: string[] = [];
    const rp = (await h.runtime.listPods())[0];
    await expect(terminatePod(makePod(), rp, 1, h.deps, { setPodStatus: () => undefined, podTerminated: () => terminated.push('x') })).rejects.toThrow(/daemon gone/);
    expect(terminated).toEqual([]);
    expect(h.events.reasons()).toContain('FailedKillPod');
  });

  it('preStop hook runs before the stop signal and its time comes out of the grace', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'app', image: 'img:1', lifecycle: { preStop: { exec: { command: ['x'] } } } }] });
    await sync(h, pod);
    h.deps.hooks = {
      preStop: async () => {
        h.runtime.calls.push('preStop');
        h.clock.t += 10_000;
      },
    };
    h.runtime.calls.length = 0;
    await terminatePod(pod, (await h.runtime.listPods())[0], 30, h.deps, undefined);
    expect(h.runtime.calls.slice(0, 2)).toEqual(['preStop', 'stopContainer app#0 grace=20']);
  });
});

describe('termination messages', () => {
  it('reads the file, falls back to logs on error, caches per container', async () => {
    const h = harness();
    const pod = makePod({
      restartPolicy: 'Never',
      containers: [
        { name: 'a', image: 'img:1', terminationMessagePath: '/tmp/msg' },
        { name: 'b', image: 'img:1', terminationMessagePolicy: 'FallbackToLogsOnError' },
      ],
    });
    await sync(h, pod);
    const a = h.runtime.exit('a', 0);
    const b = h.runtime.exit('b', 2);
    h.runtime.files.set(`${a.id}:/tmp/msg`, 'all good');
    h.runtime.logLines.set(b.id, 'x'.repeat(3000) + 'tail');
    const cache = new Map<string, string>();
    const rp = (await h.runtime.listPods())[0];
    await collectTerminationMessages(h.runtime, pod, rp, cache);
    expect(cache.get(a.id)).toBe('all good');
    expect(cache.get(b.id)).toHaveLength(2048);
    expect(cache.get(b.id)!.endsWith('tail')).toBe(true);
    const reads = h.runtime.calls.filter((c) => c.startsWith('readFile')).length;
    await collectTerminationMessages(h.runtime, pod, rp, cache);
    expect(h.runtime.calls.filter((c) => c.startsWith('readFile')).length).toBe(reads);
  });
});
