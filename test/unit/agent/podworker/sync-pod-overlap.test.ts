// A fresh pod's containers are prepared (image, create) while its sandbox starts; only their start
// waits for the sandbox. The fake runtime's gate holds the sandbox start open to observe that.
import { describe, expect, it } from 'vitest';
import { syncPod } from '../../../../agent/podworker/sync-pod.js';
import { harness, makePod, T0 } from './helpers.js';

const sync = async (h: ReturnType<typeof harness>, pod = makePod()) => {
  const rp = (await h.runtime.listPods()).find((p) => p.uid === pod.metadata.uid);
  return syncPod(pod, rp, h.deps);
};

describe('syncPod overlaps a new sandbox start with container preparation', () => {
  /** hold the sandbox start open; what the sync did meanwhile is in runtime.calls */
  function holdSandboxStart(h: ReturnType<typeof harness>) {
    let release!: (err?: Error) => void;
    const released = new Promise<Error | undefined>((r) => (release = r));
    let reached!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    h.runtime.gate = async (m, arg) => {
      if (m === 'startContainer' && arg.startsWith('POD')) {
        reached();
        const err = await released;
        if (err) throw err;
      }
    };
    return { release, atGate };
  }
  const podIps: string[] = [];
  function recordPodIps(h: ReturnType<typeof harness>) {
    const orig = h.configs.container.bind(h.configs);
    h.configs.container = (pod, c, kind, rc, sb, podIp, ...rest) => {
      podIps.push(`${c.name}=${podIp}`);
      return orig(pod, c, kind, rc, sb, podIp, ...rest);
    };
  }

  it('the app container is created while the sandbox starts, and started only after it runs', async () => {
    const h = harness();
    const g = holdSandboxStart(h);
    const done = sync(h);
    await g.atGate;
    await new Promise((r) => setTimeout(r, 10));
    expect(h.runtime.calls).toEqual(['createSandbox POD#0', 'startContainer POD#0', 'imageId img:1', 'createContainer app#0']);
    g.release();
    const r = await done;
    expect(h.runtime.calls.at(-1)).toBe('startContainer app#0');
    expect(r.podIP).toMatch(/^10\.244\.0\./);
  });

  it('a container whose env needs the pod IP is created after the sandbox runs, with the IP', async () => {
    podIps.length = 0;
    const h = harness();
    recordPodIps(h);
    const g = holdSandboxStart(h);
    const pod = makePod({ containers: [{ name: 'a', image: 'img:1' }, { name: 'b', image: 'img:1', env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] }] });
    const done = sync(h, pod);
    await g.atGate;
    await new Promise((r) => setTimeout(r, 10));
    expect(h.runtime.calls.filter((c) => c.startsWith('createContainer'))).toEqual(['createContainer a#0']);
    g.release();
    const r = await done;
    expect(h.runtime.calls.slice(-4)).toEqual(['startContainer a#0', 'imageId img:1', 'createContainer b#0', 'startContainer b#0']);
    expect(podIps).toEqual(['a=', `b=${r.podIP}`]);
  });

  it('an abort while containers are prepared rejects the sync, with no unhandled rejection', async () => {
    const h = harness();
    const g = holdSandboxStart(h);
    const ac = new AbortController();
    h.runtime.injectError('createContainer', new Error('daemon gone'), 2);
    const pod = makePod({ containers: [{ name: 'a', image: 'img:1' }, { name: 'b', image: 'img:1' }] });
    ac.abort(new Error('pod terminating'));
    const done = syncPod(pod, undefined, h.deps, ac.signal);
    await g.atGate;
    await new Promise((r) => setTimeout(r, 10));
    g.release();
    await expect(done).rejects.toThrow(/daemon gone|pod terminating/);
    await new Promise((r) => setTimeout(r, 10));
  });

  it('a failed sandbox start removes what was created for it: the retry keeps restart count 0', async () => {
    const h = harness();
    const g = holdSandboxStart(h);
    const done = sync(h);
    await g.atGate;
    await new Promise((r) => setTimeout(r, 10));
    g.release(new Error('failed to set up network'));
    const r = await done;
    expect(h.runtime.calls.slice(-1)).toEqual(['removeContainer app#0']);
    expect(h.events.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'FailedCreatePodSandBox', message: 'Failed to create pod sandbox: failed to set up network' });
    expect(r.retryAt).toBe(T0 + 5000);
    h.runtime.gate = undefined;
    h.runtime.calls.length = 0;
    await sync(h);
    expect(h.runtime.calls.filter((c) => !c.startsWith('stopContainer'))).toEqual(['createSandbox POD#1', 'startContainer POD#1', 'imageId img:1', 'createContainer app#0', 'startContainer app#0']);
  });
});
