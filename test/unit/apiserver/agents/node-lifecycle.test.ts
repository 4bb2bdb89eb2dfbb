import { describe, expect, it } from 'vitest';
import { liveness, planNode, UNREACHABLE_TAINT } from '../../../../apiserver/controllers/node-lifecycle-controller.js';
import type { KubeObject } from '../../../../api/types.js';

const now = new Date('2025-01-01T00:10:00Z');
const readyNode = (extra: Partial<KubeObject['spec']> = {}): KubeObject => ({
  metadata: { name: 'n1' },
  spec: { podCIDR: '10.244.0.0/24', ...extra },
  status: {
    conditions: [
      { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z' },
      { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: '2025-01-01T00:00:00Z' },
      { type: 'DiskPressure', status: 'False' },
      { type: 'PIDPressure', status: 'False' },
      { type: 'NetworkUnavailable', status: 'False' },
    ],
  },
});

describe('planNode', () => {
  it('a silent node: four conditions Unknown as Kubernetes words it, the unreachable taint added, user taints kept', () => {
    const userTaint = { key: 'dedicated', value: 'x', effect: 'NoSchedule' };
    const plan = planNode(readyNode({ taints: [userTaint] }), true, now);
    const byType = Object.fromEntries(plan.conditions!.map((c) => [c.type, c]));
    for (const t of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(byType[t]).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
      expect(byType[t].lastTransitionTime).toBe('2025-01-01T00:10:00Z');
    }
    expect(byType.Ready.lastHeartbeatTime).toBe('2025-01-01T00:00:00Z');
    expect(byType.NetworkUnavailable.status).toBe('False');
    expect(plan.taints).toEqual([
      userTaint,
      { key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: '2025-01-01T00:10:00Z' },
      { key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: '2025-01-01T00:10:00Z' },
    ]);
  });

  it('does nothing more once already Unknown and tainted', () => {
    const first = planNode(readyNode(), true, now);
    const n = readyNode({ taints: first.taints });
    n.status.conditions = first.conditions;
    expect(planNode(n, true, now)).toEqual({});
  });

  it('removes the taint when the node is back Ready, and leaves a healthy node alone', () => {
    const n = readyNode({ taints: [{ key: UNREACHABLE_TAINT, effect: 'NoSchedule' }, { key: 'keep', effect: 'NoExecute' }] });
    expect(planNode(n, false, now)).toEqual({ taints: [{ key: 'keep', effect: 'NoExecute' }] });
    expect(planNode(readyNode(), false, now)).toEqual({});
  });

  it('a node that never reported says so', () => {
    const plan = planNode({ metadata: { name: 'n1' }, spec: {} }, true, now);
    expect(plan.conditions!.map((c) => c.reason)).toEqual(Array(4).fill('NodeStatusNeverUpdated'));
  });
});

describe('planNode: NoExecute and cordon taints', () => {
  it('Ready=False gets not-ready:NoExecute; back to True removes it; a cordoned node gets unschedulable:NoSchedule', () => {
    const n = readyNode();
    n.status.conditions[0].status = 'False';
    const down = planNode(n, false, now);
    expect(down.taints).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: '2025-01-01T00:10:00Z' }]);
    expect(planNode(readyNode({ taints: down.taints }), false, now)).toEqual({ taints: [] });
    const cordoned = planNode(readyNode({ unschedulable: true }), false, now);
    expect(cordoned.taints).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: '2025-01-01T00:10:00Z' }]);
    expect(planNode(readyNode({ taints: cordoned.taints }), false, now)).toEqual({ taints: [] });
  });

  it('keeps the timeAdded of a taint already there', () => {
    const t = [{ key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: '2025-01-01T00:01:00Z' }];
    const plan = planNode(readyNode({ taints: t }), true, now);
    expect(plan.taints).toEqual([...t, { key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: '2025-01-01T00:10:00Z' }]);
  });
});

describe('liveness', () => {
  it('changes when either the lease or the Ready heartbeat moves', () => {
    const n = readyNode();
    const l = { metadata: { name: 'n1' }, spec: { renewTime: '2025-01-01T00:00:00.000000Z' } };
    const a = liveness(n, l);
    expect(liveness(n, { ...l, spec: { renewTime: '2025-01-01T00:00:10.000000Z' } })).not.toBe(a);
    const n2 = readyNode();
    n2.status.conditions[0].lastHeartbeatTime = '2025-01-01T00:00:10Z';
    expect(liveness(n2, l)).not.toBe(a);
    expect(liveness(readyNode(), l)).toBe(a);
  });
});
