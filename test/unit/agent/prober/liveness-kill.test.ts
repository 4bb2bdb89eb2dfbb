// A failed liveness probe through syncPod: the Killing event with the kubelet's message, the preStop
// hook before the stop signal with the probe-level grace, a new instance with restartCount + 1.
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../../../agent/podworker/pod-actions-types.js';
import { syncPod } from '../../../../agent/podworker/sync-pod.js';
import { harness, makePod } from '../podworker/helpers.js';

describe('liveness failure in syncPod', () => {
  it('Killing "failed liveness probe, will be restarted", preStop then stop with the probe grace, restart', async () => {
    const h = harness();
    const pod = makePod({
      containers: [{ name: 'app', image: 'img:1', livenessProbe: { exec: { command: ['x'] }, terminationGracePeriodSeconds: 7 }, lifecycle: { preStop: { exec: { command: ['bye'] } } } }],
    });
    const liveness = new Map<string, ProbeResult>();
    h.deps.probes = { liveness: () => liveness, startup: () => new Map(), readiness: () => new Map() };
    h.deps.hooks = {
      preStop: async (_p, c, _id, grace) => {
        h.runtime.calls.push(`preStop ${c.name} grace=${grace}`);
      },
    };
    await syncPod(pod, (await h.runtime.listPods())[0], h.deps);
    // healthy: a second sync changes nothing
    h.runtime.calls.length = 0;
    await syncPod(pod, (await h.runtime.listPods())[0], h.deps);
    expect(h.runtime.calls.filter((c) => !c.startsWith('imageId') && !c.startsWith('inspect'))).toEqual([]);
    liveness.set('app', 'failure');
    await syncPod(pod, (await h.runtime.listPods())[0], h.deps);
    const acts = h.runtime.calls.filter((c) => /^(preStop|stopContainer|createContainer|startContainer)/.test(c));
    expect(acts.slice(0, 2)).toEqual(['preStop app grace=7', 'stopContainer app#0 grace=7']);
    expect(acts.slice(2).some((c) => c.startsWith('createContainer') && c.includes('app#1'))).toBe(true);
    expect(h.events.events.filter((e) => e.reason === 'Killing')).toEqual([
      { type: 'Normal', reason: 'Killing', message: 'Container app failed liveness probe, will be restarted', fieldPath: 'spec.containers{app}' },
    ]);
  });

  it('CrashLoopBackOff still applies: from the second probe restart on, the previous exit decides the back-off', async () => {
    const h = harness();
    const pod = makePod({ containers: [{ name: 'app', image: 'img:1', livenessProbe: { exec: { command: ['x'] } } }] });
    const liveness = new Map<string, ProbeResult>();
    h.deps.probes = { liveness: () => liveness, startup: () => new Map(), readiness: () => new Map() };
    const sync = async () => syncPod(pod, (await h.runtime.listPods())[0], h.deps);
    const starts = () => h.runtime.calls.filter((c) => c.startsWith('createContainer app'));
    await sync();
    // 1st failure: killed and restarted at once (nothing exited before)
    liveness.set('app', 'failure');
    await sync();
    expect(starts()).toEqual(['createContainer app#0', 'createContainer app#1']);
    // 2nd failure 2 s later: app#0's exit is outside any back-off, restart and start the 10 s window
    h.clock.t += 2_000;
    await sync();
    expect(starts()).toHaveLength(3);
    // 3rd failure 2 s later: app#1 exited 2 s ago, inside its 10 s back-off: killed, not restarted
    h.clock.t += 2_000;
    const r = await sync();
    expect(starts()).toHaveLength(3);
    expect(h.runtime.calls.filter((c) => c.startsWith('stopContainer app'))).toHaveLength(3);
    expect(r.waitingReasons.get('app')?.reason).toBe('CrashLoopBackOff');
    // the window over (and the prober has dropped the dead instance's result), it starts again
    liveness.clear();
    h.clock.t += 11_000;
    await sync();
    expect(starts().at(-1)).toBe('createContainer app#3');
  });
});

