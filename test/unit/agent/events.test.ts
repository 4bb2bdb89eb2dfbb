import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/types.js';
import { LinkEventRecorder } from '../../../agent/events.js';
import { StatusManager, canonicalJson } from '../../../agent/status-manager.js';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'ns', uid: 'u1' }, spec: {} } as KubeObject;

describe('LinkEventRecorder', () => {
  it('builds kubelet-shaped events and folds repeats into one series with a growing count', () => {
    const sent: any[] = [];
    let now = Date.parse('2026-01-01T00:00:00Z');
    const rec = new LinkEventRecorder({ sendEvent: (e) => sent.push(e) }, 'node-a', () => now);
    rec.event(pod, 'Normal', 'Pulling', 'Pulling image "x"', 'spec.containers{app}');
    now += 5000;
    rec.event(pod, 'Normal', 'Pulling', 'Pulling image "x"', 'spec.containers{app}');
    rec.event(pod, 'Warning', 'BackOff', 'Back-off', 'spec.containers{app}');
    expect(sent).toHaveLength(3);
    const [a, b, c] = sent;
    expect(a.involvedObject).toEqual({ kind: 'Pod', namespace: 'ns', name: 'web', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{app}' });
    expect(a.source).toEqual({ component: 'kubelet', host: 'node-a' });
    expect(a.reportingComponent).toBe('kubelet');
    expect(a.metadata.namespace).toBe('ns');
    expect(a.metadata.name).toMatch(/^web\.[0-9a-f]{16}$/);
    expect(b.metadata.name).toBe(a.metadata.name);
    expect(b.count).toBe(2);
    expect(b.firstTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(b.lastTimestamp).toBe('2026-01-01T00:00:05Z');
    expect(c.metadata.name).not.toBe(a.metadata.name);
    expect(c.type).toBe('Warning');
    expect(c.count).toBe(1);
  });
});

describe('StatusManager', () => {
  it('sends only changed statuses and the last one again as terminated', () => {
    const calls: [string, boolean][] = [];
    const sm = new StatusManager({ sendPodStatus: (_p, s, t) => calls.push([JSON.stringify(s), t]) });
    sm.setPodStatus(pod, { phase: 'Pending', conditions: [] });
    sm.setPodStatus(pod, { conditions: [], phase: 'Pending' });
    sm.setPodStatus(pod, { phase: 'Running', conditions: [] });
    sm.podTerminated(pod);
    expect(calls.map((c) => c[1])).toEqual([false, false, true]);
    expect(JSON.parse(calls[2]![0]).phase).toBe('Running');
  });
  it('canonicalJson ignores key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: undefined }] })).toBe(canonicalJson({ a: [{ y: 2 }], b: 1 }));
  });
});
