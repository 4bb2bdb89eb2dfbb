import { describe, expect, it } from 'vitest';
import { daemonPodNode, planDaemonSet, REVISION_LABEL, shouldRunOn } from '../../../../apiserver/controllers/daemonset-plan.js';
import { daemonPod } from '../../../../apiserver/controllers/daemonset-controller.js';
import { templateHash } from '../../../../apiserver/controllers/owned-pods.js';
import type { KubeObject } from '../../../../api/types.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function ds(templateSpec: Record<string, any> = {}, strategy?: Record<string, any>): KubeObject {
  return {
    metadata: { name: 'd', namespace: 'ns', uid: 'du', generation: 2 },
    spec: { template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'x' }], ...templateSpec } }, updateStrategy: strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } },
  };
}
const node = (name: string, extra: { labels?: Record<string, string>; taints?: any[]; unschedulable?: boolean } = {}): KubeObject => ({
  metadata: { name, labels: extra.labels ?? {} },
  spec: { ...(extra.taints ? { taints: extra.taints } : {}), ...(extra.unschedulable ? { unschedulable: true } : {}) },
});
let seq = 0;
function podOn(d: KubeObject, n: string, opts: { ready?: boolean; hash?: string; phase?: string } = {}): KubeObject {
  const p = daemonPod(d, n, opts.hash ?? templateHash(d.spec.template));
  p.metadata.name = `d-${++seq}`;
  p.metadata.creationTimestamp = new Date(T0 + seq * 1000).toISOString();
  p.status = { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] };
  return p;
}

describe('DaemonSet placement', () => {
  it('runs on nodes matching nodeSelector and tolerating NoSchedule taints, including the defaults', () => {
    const d = ds({ nodeSelector: { role: 'edge' } });
    expect(shouldRunOn(d, node('a', { labels: { role: 'edge' } }))).toBe(true);
    expect(shouldRunOn(d, node('b'))).toBe(false);
    const tainted = node('c', { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] });
    expect(shouldRunOn(ds(), tainted)).toBe(false);
    expect(shouldRunOn(ds({ tolerations: [{ key: 'gpu', operator: 'Exists' }] }), tainted)).toBe(true);
    // default tolerations: unschedulable (cordoned) and not-ready nodes still run daemons
    expect(shouldRunOn(ds(), node('e', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }))).toBe(true);
    expect(shouldRunOn(ds(), node('f', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }))).toBe(true);
    // a running daemon pod only leaves for an untolerated NoExecute taint
    expect(shouldRunOn(ds(), tainted, true)).toBe(true);
    expect(shouldRunOn(ds(), node('h', { taints: [{ key: 'evict', effect: 'NoExecute' }] }), true)).toBe(false);
    // PreferNoSchedule never keeps a daemon away
    expect(shouldRunOn(ds(), node('g', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }))).toBe(true);
  });

  it('honours required node affinity', () => {
    const d = ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } } });
    expect(shouldRunOn(d, node('a', { labels: { zone: 'z1' } }))).toBe(true);
    expect(shouldRunOn(d, node('b', { labels: { zone: 'z2' } }))).toBe(false);
  });

  it('pins its pods to the node with matchFields and adds the default tolerations', () => {
    const p = daemonPod(ds(), 'n1', 'h');
    expect(daemonPodNode(p)).toBe('n1');
    expect(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }]);
    expect(p.spec.tolerations.map((t: any) => t.key)).toContain('node.kubernetes.io/unreachable');
    expect(p.metadata.labels).toMatchObject({ app: 'd', [REVISION_LABEL]: 'h', 'pod-template-generation': '2' });
    expect(p.metadata.ownerReferences[0]).toMatchObject({ kind: 'DaemonSet', apiVersion: 'apps/v1', controller: true });
  });
});

describe('planDaemonSet', () => {
  it('creates one pod per eligible node and deletes extras and misplaced pods', () => {
    const d = ds({ nodeSelector: { role: 'edge' } });
    const nodes = [node('a', { labels: { role: 'edge' } }), node('b', { labels: { role: 'edge' } }), node('c')];
    const pods = [podOn(d, 'a'), podOn(d, 'a'), podOn(d, 'c')];
    const plan = planDaemonSet(d, nodes, pods, T0);
    expect(plan.create).toEqual(['b']);
    expect(plan.delete.sort()).toEqual([pods[1].metadata.name, pods[2].metadata.name].sort());
    expect(plan.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 1, numberMisscheduled: 1, numberReady: 1, updatedNumberScheduled: 1, observedGeneration: 2 });
  });

  it('replaces failed pods and pods of deleted nodes', () => {
    const d = ds();
    const failed = podOn(d, 'a', { phase: 'Failed' });
    const gone = podOn(d, 'zz');
    const plan = planDaemonSet(d, [node('a')], [failed, gone], T0);
    expect(plan.delete.sort()).toEqual([failed.metadata.name, gone.metadata.name].sort());
    expect(plan.create).toEqual(['a']);
  });

  it('rolls old pods maxUnavailable at a time, and not while one is unavailable', () => {
    const d = ds();
    const nodes = [node('a'), node('b'), node('c')];
    const old = nodes.map((n) => podOn(d, n.metadata.name!, { hash: 'old' }));
    const first = planDaemonSet(d, nodes, old, T0);
    expect(first.delete).toHaveLength(1);
    expect(first.status.updatedNumberScheduled).toBe(0);
    // one node has a new pod not yet ready: no more old pods go
    const mid = [podOn(d, 'a', { ready: false }), old[1], old[2]];
    expect(planDaemonSet(d, nodes, mid, T0).delete).toEqual([]);
    // maxUnavailable 50% of 3 rounds up to 2
    const wide = ds({}, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '50%' } });
    expect(planDaemonSet(wide, nodes, nodes.map((n) => podOn(wide, n.metadata.name!, { hash: 'old' })), T0).delete).toHaveLength(2);
    // OnDelete never deletes old pods
    expect(planDaemonSet(ds({}, { type: 'OnDelete' }), nodes, old, T0).delete).toEqual([]);
  });

  it('waits for a terminating pod to go before creating its replacement', () => {
    const d = ds();
    const p = podOn(d, 'a');
    p.metadata.deletionTimestamp = new Date(T0).toISOString();
    expect(planDaemonSet(d, [node('a')], [p], T0).create).toEqual([]);
  });
});
