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
});
