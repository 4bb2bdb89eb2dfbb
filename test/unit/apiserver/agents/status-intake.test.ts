import { describe, expect, it } from 'vitest';
import { bumpedEvent, EVENTS, eventBelongsTo, mergeNode, microTime, normalizeEvent, recordEvent, renewedLease } from '../../../../apiserver/agents/status-intake.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';
import { logContainer } from '../../../../apiserver/agents/log-proxy.js';
import type { KubeObject } from '../../../../api/types.js';

describe('mergeNode', () => {
  it('merges labels and agent-owned status; keeps user spec (unschedulable, taints, podCIDR) and other status', () => {
    const existing: KubeObject = {
      metadata: { name: 'n1', labels: { team: 'a', 'kubernetes.io/os': 'old' } },
      spec: { unschedulable: true, taints: [{ key: 'k', effect: 'NoSchedule' }], podCIDR: '10.244.3.0/24', podCIDRs: ['10.244.3.0/24'] },
      status: { volumesInUse: ['x'], conditions: [{ type: 'Ready', status: 'Unknown' }] },
    };
    const reported: KubeObject = {
      metadata: { name: 'n1', labels: { 'kubernetes.io/os': 'linux' } },
      spec: { unschedulable: false, podCIDR: 'bogus' },
      status: { conditions: [{ type: 'Ready', status: 'True' }], capacity: { cpu: '4' }, nodeInfo: { kernelVersion: '6' } },
    };
    const m = mergeNode(existing, reported, 'n1');
    expect(m.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/os': 'linux' });
    expect(m.spec).toEqual(existing.spec);
    expect(m.status).toEqual({ volumesInUse: ['x'], conditions: [{ type: 'Ready', status: 'True' }], capacity: { cpu: '4' }, nodeInfo: { kernelVersion: '6' } });
  });
});

describe('leases', () => {
  it('uses MicroTime with six fractional digits', () => {
    expect(microTime(Date.parse('2025-02-03T04:05:06.789Z'))).toBe('2025-02-03T04:05:06.789000Z');
  });
  it('renews holder, duration and time', () => {
    const l = renewedLease(undefined, 'n1', Date.parse('2025-02-03T04:05:06Z'));
    expect(l).toMatchObject({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2025-02-03T04:05:06.000000Z' } });
  });
});

describe('events', () => {
  const pod: KubeObject = { metadata: { namespace: 'app', name: 'web', uid: 'u1' }, spec: { nodeName: 'n1' } };
  const lookup = (ns: string, name: string) => (ns === 'app' && name === 'web' ? pod : undefined);
  it('accepts events about its pods and itself only', () => {
    expect(eventBelongsTo({ metadata: {}, involvedObject: { kind: 'Pod', namespace: 'app', name: 'web', uid: 'u1' } }, 'n1', lookup)).toBe(true);
    expect(eventBelongsTo({ metadata: {}, involvedObject: { kind: 'Pod', namespace: 'app', name: 'web', uid: 'old' } }, 'n1', lookup)).toBe(false);
    expect(eventBelongsTo({ metadata: {}, involvedObject: { kind: 'Pod', namespace: 'app', name: 'web' } }, 'n2', lookup)).toBe(false);
    expect(eventBelongsTo({ metadata: {}, involvedObject: { kind: 'Node', name: 'n1' } }, 'n1', lookup)).toBe(true);
    expect(eventBelongsTo({ metadata: {}, involvedObject: { kind: 'Node', name: 'n2' } }, 'n1', lookup)).toBe(false);
    expect(eventBelongsTo({ metadata: {}, involvedObject: { kind: 'Secret', namespace: 'app', name: 's' } }, 'n1', lookup)).toBe(false);
  });
  it('fills name, namespace and pins the source host', () => {
    const e = normalizeEvent({ metadata: {}, involvedObject: { kind: 'Pod', namespace: 'app', name: 'web' }, reason: 'Started', source: { host: 'liar' } }, 'n1');
    expect(e.metadata.namespace).toBe('app');
    expect(e.metadata.name).toMatch(/^web\.[0-9a-f]{16}$/);
    expect(e.source).toEqual({ component: 'kubelet', host: 'n1' });
    expect(e.count).toBe(1);
  });
});

describe('recordEvent repeats', () => {
  const occurrence = (count: number, at: string, extra: Record<string, unknown> = {}): KubeObject => ({
    metadata: { name: 'web.0123456789abcdef', namespace: 'app' },
    involvedObject: { kind: 'Pod', namespace: 'app', name: 'web', uid: 'u1' },
    reason: 'BackOff',
    type: 'Warning',
    message: 'Back-off restarting failed container',
    count,
    firstTimestamp: '2025-01-01T00:00:00Z',
    lastTimestamp: at,
    ...extra,
  });

  it('a repeat of a stored series bumps count and lastTimestamp, keeps firstTimestamp (no drop)', async () => {
    const reg = new FakeRegistry();
    await recordEvent(reg, 'n1', occurrence(1, '2025-01-01T00:00:00Z'));
    await recordEvent(reg, 'n1', occurrence(2, '2025-01-01T00:00:10Z'));
    await recordEvent(reg, 'n1', occurrence(3, '2025-01-01T00:00:30Z', { firstTimestamp: '2025-01-01T00:00:29Z' }));
    const stored = reg.all(EVENTS, 'app');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ count: 3, firstTimestamp: '2025-01-01T00:00:00Z', lastTimestamp: '2025-01-01T00:00:30Z', source: { host: 'n1' } });
  });

  it('a sender that does not count gets its repeats counted; an exact resend changes nothing', () => {
    const first = normalizeEvent(occurrence(1, '2025-01-01T00:00:00Z'), 'n1');
    expect(bumpedEvent(first, occurrence(1, '2025-01-01T00:00:05Z'))).toMatchObject({ count: 2, lastTimestamp: '2025-01-01T00:00:05Z' });
    expect(bumpedEvent(first, occurrence(1, '2025-01-01T00:00:00Z'))).toBe(first);
    // a late, older occurrence never moves lastTimestamp back
    const ahead = { ...first, count: 5, lastTimestamp: '2025-01-01T00:01:00Z' };
    expect(bumpedEvent(ahead, occurrence(4, '2025-01-01T00:00:50Z'))).toMatchObject({ count: 6, lastTimestamp: '2025-01-01T00:01:00Z' });
  });

  it('an event name already used for another object is left alone', async () => {
    const reg = new FakeRegistry();
    await recordEvent(reg, 'n1', occurrence(1, '2025-01-01T00:00:00Z'));
    await recordEvent(reg, 'n1', occurrence(7, '2025-01-01T00:00:09Z', { involvedObject: { kind: 'Pod', namespace: 'app', name: 'other', uid: 'u2' } }));
    expect(reg.all(EVENTS, 'app')[0]).toMatchObject({ count: 1, involvedObject: { name: 'web' } });
  });
});

describe('logContainer', () => {
  const pod = (names: string[], init: string[] = []): KubeObject => ({
    metadata: { name: 'p' },
    spec: { containers: names.map((name) => ({ name })), initContainers: init.map((name) => ({ name })) },
  });
  it('picks the only container, refuses unknown ones and ambiguity in kubectl wording', () => {
    expect(logContainer(pod(['a']), null)).toBe('a');
    expect(logContainer(pod(['a', 'b'], ['i']), 'i')).toBe('i');
    expect(() => logContainer(pod(['a']), 'x')).toThrow('container x is not valid for pod p');
    expect(() => logContainer(pod(['a', 'b']), null)).toThrow('a container name must be specified for pod p, choose one of: [a b]');
    expect(() => logContainer(pod(['a', 'b'], ['i']), null)).toThrow('choose one of: [a b] or one of the init containers: [i]');
  });
});
