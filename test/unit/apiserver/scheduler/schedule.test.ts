import { describe, expect, it } from 'vitest';
import { fitErrorMessage, schedule } from '../../../../apiserver/scheduler/schedule.js';
import { podRequests } from '../../../../apiserver/scheduler/pod-resources.js';
import { node, pod } from './builders.js';

const msgOf = (r: ReturnType<typeof schedule>): string => ('message' in r ? r.message : `bound to ${r.node}`);

describe('schedule', () => {
  it('reports no nodes', () => {
    expect(schedule(pod('p'), [], {})).toEqual({ reasons: {}, message: 'no nodes available to schedule pods' });
  });

  it('picks the only fitting node', () => {
    expect(schedule(pod('p', { cpu: '1' }), [node('n1')], {})).toEqual({ node: 'n1' });
  });

  it('prints the exact Kubernetes message, reasons sorted as strings', () => {
    const nodes = [node('a', { cpu: '500m' }), node('b', { labels: { disk: 'hdd' } }), node('c', { labels: { disk: 'hdd' } })];
    const p = pod('p', { cpu: '1', spec: { nodeSelector: { disk: 'ssd' } } });
    nodes[0].metadata.labels!.disk = 'ssd';
    const r = schedule(p, nodes, {});
    expect(msgOf(r)).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect('reasons' in r && r.reasons).toEqual({ 'Insufficient cpu': 1, "node(s) didn't match Pod's node affinity/selector": 2 });
  });

  it('sorts by the "count reason" string like Go sort.Strings', () => {
    expect(fitErrorMessage(12, { 'Insufficient memory': 10, 'Too many pods': 2 })).toMatch(/: 10 Insufficient memory, 2 Too many pods\./);
  });

  it('reports cpu and memory together from one node', () => {
    const r = schedule(pod('p', { cpu: '8', memory: '16Gi' }), [node('n')], {});
    expect(msgOf(r)).toMatch(/^0\/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory\. preemption: 0\/1 nodes are available: 1 Preemption/);
  });

  it('counts requests of pods already on the node but not terminal ones', () => {
    const n = node('n', { cpu: '2' });
    const on = [pod('a', { cpu: '1500m', nodeName: 'n', phase: 'Running' })];
    expect(msgOf(schedule(pod('p', { cpu: '600m' }), [n], { n: on }))).toMatch(/1 Insufficient cpu/);
    expect(schedule(pod('p', { cpu: '500m' }), [n], { n: on })).toEqual({ node: 'n' });
    const done = [pod('a', { cpu: '1500m', nodeName: 'n', phase: 'Succeeded' })];
    expect(schedule(pod('p', { cpu: '1' }), [n], { n: done })).toEqual({ node: 'n' });
  });

  it('enforces the pod count', () => {
    const n = node('n', { pods: '1' });
    expect(msgOf(schedule(pod('p'), [n], { n: [pod('a', { nodeName: 'n', phase: 'Running' })] }))).toMatch(/1 Too many pods/);
  });

  it('uses max(init, sum(app)) for effective requests', () => {
    const p = pod('p', { cpu: '500m', init: [{ cpu: '3' }, { cpu: '1' }] });
    expect(podRequests(p).cpu).toBe(3);
    expect(msgOf(schedule(p, [node('n', { cpu: '2' })], {}))).toMatch(/Insufficient cpu/);
    expect(schedule(pod('q', { cpu: '2', init: [{ cpu: '1' }] }), [node('n', { cpu: '2' })], {})).toEqual({ node: 'n' });
  });

  it('treats a limit without a request as the request', () => {
    const p = pod('p');
    p.spec.containers[0].resources = { limits: { memory: '1Gi' } };
    expect(msgOf(schedule(p, [node('n', { memory: '512Mi' })], {}))).toMatch(/Insufficient memory/);
  });

  it('rejects untolerated NoSchedule/NoExecute taints with the taint in the message', () => {
    const n = node('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    expect(msgOf(schedule(pod('p'), [n], {}))).toMatch(/^0\/1 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: gpu\}\./);
    const equal = pod('p', { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } });
    expect(schedule(equal, [n], {})).toEqual({ node: 'n' });
    const wrongValue = pod('p', { spec: { tolerations: [{ key: 'dedicated', value: 'cpu' }] } });
    expect('message' in schedule(wrongValue, [n], {})).toBe(true);
    const wrongEffect = pod('p', { spec: { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }] } });
    expect('message' in schedule(wrongEffect, [n], {})).toBe(true);
    const exists = pod('p', { spec: { tolerations: [{ key: 'dedicated', operator: 'Exists' }] } });
    expect(schedule(exists, [n], {})).toEqual({ node: 'n' });
    const all = pod('p', { spec: { tolerations: [{ operator: 'Exists' }] } });
    expect(schedule(all, [n], {})).toEqual({ node: 'n' });
  });

  it('ignores PreferNoSchedule taints when filtering', () => {
    const n = node('n', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] });
    expect(schedule(pod('p'), [n], {})).toEqual({ node: 'n' });
  });

  it('reports not-ready nodes as the not-ready taint, which DaemonSet-like pods tolerate', () => {
    const nodes = [node('a', { ready: 'False' }), node('b', { ready: null }), node('c', { ready: 'Unknown' })];
    expect(msgOf(schedule(pod('p'), nodes, {}))).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    const tolerant = pod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect(schedule(tolerant, nodes, {})).toEqual({ node: 'a' });
  });

  it('skips unschedulable (cordoned) nodes unless tolerated', () => {
    const nodes = [node('a', { unschedulable: true })];
    expect(msgOf(schedule(pod('p'), nodes, {}))).toMatch(/1 node\(s\) were unschedulable\./);
    const t = pod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect(schedule(t, nodes, {})).toEqual({ node: 'a' });
  });

  it('honours required node affinity operators and matchFields', () => {
    const nodes = [node('a', { labels: { zone: 'z1', gen: '3' } }), node('b', { labels: { zone: 'z2', gen: '5' } }), node('c', { labels: { gpu: '' } })];
    const withTerms = (terms: unknown[]) =>
      pod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } } });
    const pick = (terms: unknown[]) => schedule(withTerms(terms), nodes, {});
    expect(pick([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] }])).toEqual({ node: 'b' });
    expect(pick([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }])).toEqual({ node: 'b' });
    expect(pick([{ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['4'] }] }])).toEqual({ node: 'a' });
    expect(pick([{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }])).toEqual({ node: 'c' });
    expect(pick([{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }])).toEqual({ node: 'c' });
    expect(pick([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }])).toEqual({ node: 'b' });
    // NotIn: absent keys match too
    const notIn = pick([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['z1', 'z2'] }] }]);
    expect(notIn).toEqual({ node: 'c' });
    // terms are ORed; expressions within a term ANDed
    const r = pick([
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }, { key: 'gen', operator: 'Gt', values: ['4'] }] },
    ]);
    expect(msgOf(r)).toMatch(/3 node\(s\) didn't match Pod's node affinity\/selector/);
    expect(pick([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['nope'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }])).toEqual({ node: 'a' });
    // an empty term matches nothing
    expect('message' in pick([{}])).toBe(true);
  });

  it('detects host port conflicts', () => {
    const n = node('n');
    const on = [pod('a', { nodeName: 'n', hostPort: 8080, phase: 'Running' })];
    expect(msgOf(schedule(pod('p', { hostPort: 8080 }), [n], { n: on }))).toMatch(/1 node\(s\) didn't have free ports for the requested pod ports/);
    expect(schedule(pod('p', { hostPort: 8081 }), [n], { n: on })).toEqual({ node: 'n' });
  });

  it('prefers the least allocated node, then the name', () => {
    const nodes = [node('b'), node('a'), node('c')];
    expect(schedule(pod('p', { cpu: '1' }), nodes, {})).toEqual({ node: 'a' });
    const busy = { a: [pod('x', { cpu: '3', nodeName: 'a', phase: 'Running' })] };
    expect(schedule(pod('p', { cpu: '1' }), nodes, busy)).toEqual({ node: 'b' });
  });

  it('spreads replicas of the same owner', () => {
    const nodes = [node('a'), node('b')];
    const onA = { a: [pod('r1', { owner: 'web', nodeName: 'a', phase: 'Running' })] };
    expect(schedule(pod('r2', { owner: 'web' }), nodes, onA)).toEqual({ node: 'b' });
  });

  it('follows preferred node affinity', () => {
    const nodes = [node('a'), node('b', { labels: { fast: 'yes' } })];
    const p = pod('p', {
      spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'fast', operator: 'Exists' }] } }] } } },
    });
    expect(schedule(p, nodes, {})).toEqual({ node: 'b' });
  });
});
