// Node lifecycle: a node whose agent went silent for longer than the grace period gets its
// conditions set to Unknown ("Kubelet stopped posting node status.") and the
// node.kubernetes.io/unreachable:NoSchedule taint; the taint goes when it reports Ready again.
// Silence is measured on this controller's clock from when it last SAW the lease or heartbeat
// change (as Kubernetes' probe timestamps), so clock skew or an apiserver restart never makes
// every node look dead at once. NoExecute eviction comes with a later issue.
import { resourceFor } from '../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { runController, type ControllerHandle } from './run-controller.js';

export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const NODE_LIFECYCLE_USER: UserInfo = { name: 'system:serviceaccount:kube-system:node-controller', groups: ['system:masters'] };
const CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
const NODES = resourceFor('', 'nodes')!;
const LEASES = resourceFor('coordination.k8s.io', 'leases')!;
const LEASE_NAMESPACE = 'kube-node-lease';
const write = { user: NODE_LIFECYCLE_USER, fieldManager: 'node-lifecycle-controller' };

export interface NodeLifecycleOptions {
  gracePeriodMs: number;
  /** how often every node is looked at; default 5 s */
  monitorPeriodMs?: number;
  signal: AbortSignal;
  log: Logger;
  clock?: Clock;
}

interface Probe {
  signature: string;
  observedAt: number;
}

type Condition = { type: string; status: string; reason?: string; message?: string; lastHeartbeatTime?: string; lastTransitionTime?: string };

/** What changes for this node: its status conditions (when going Unknown) and its taints. Pure. */
export function planNode(node: KubeObject, stale: boolean, now: Date): { conditions?: Condition[]; taints?: unknown[] } {
  const conds: Condition[] = node.status?.conditions ?? [];
  const taints: Array<{ key: string; effect: string; timeAdded?: string }> = node.spec?.taints ?? [];
  const hasTaint = taints.some((t) => t.key === UNREACHABLE_TAINT && t.effect === 'NoSchedule');
  const ready = conds.find((c) => c.type === 'Ready');
  const out: { conditions?: Condition[]; taints?: unknown[] } = {};
  if (stale) {
    if (conds.length === 0 || CONDITION_TYPES.some((t) => conds.find((c) => c.type === t)?.status !== 'Unknown')) {
      const never = conds.length === 0;
      const next = conds.filter((c) => !CONDITION_TYPES.includes(c.type));
      for (const type of CONDITION_TYPES) {
        const old = conds.find((c) => c.type === type);
        next.push({
          type,
          status: 'Unknown',
          reason: never ? 'NodeStatusNeverUpdated' : 'NodeStatusUnknown',
          message: never ? 'Kubelet never posted node status.' : 'Kubelet stopped posting node status.',
          lastHeartbeatTime: old?.lastHeartbeatTime ?? nowRfc3339(now),
          lastTransitionTime: old?.status === 'Unknown' ? old.lastTransitionTime : nowRfc3339(now),
        });
      }
      out.conditions = next;
    }
    if (!hasTaint) out.taints = [...taints, { key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: nowRfc3339(now) }];
  } else if (hasTaint && ready?.status === 'True') {
    out.taints = taints.filter((t) => !(t.key === UNREACHABLE_TAINT && t.effect === 'NoSchedule'));
  }
  return out;
}

/** What proves the agent is alive: the lease renew time and the Ready heartbeat. */
export function liveness(node: KubeObject, lease: KubeObject | undefined): string {
  const ready = (node.status?.conditions ?? []).find((c: Condition) => c.type === 'Ready');
  return `${lease?.spec?.renewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}`;
}

export function startNodeLifecycleController(registry: Registry, opts: NodeLifecycleOptions): ControllerHandle {
  const clock = opts.clock ?? realClock;
  const period = opts.monitorPeriodMs ?? 5000;
  const probes = new Map<string, Probe>();
  const handle: ControllerHandle = runController({
    name: 'node-lifecycle',
    registry,
    signal: opts.signal,
    log: opts.log,
    clock,
    resyncMs: period,
    watches: [
      { ri: NODES, keyOf: (n, type) => (type === 'DELETED' ? (probes.delete(n.metadata.name!), undefined) : n.metadata.name) },
      { ri: LEASES, namespace: LEASE_NAMESPACE, keyOf: (l) => l.metadata.name },
    ],
    sync: async (name) => {
      // 1. Nothing before every watch listed once: an unlisted lease would look like silence.
      if (!handle.hasSynced()) return handle.enqueueAfter(name, 500);
      let node: KubeObject;
      try {
        node = await registry.get(NODES, undefined, name);
      } catch (e) {
        if (isNotFound(e)) return void probes.delete(name);
        throw e;
      }
      let lease: KubeObject | undefined;
      try {
        lease = await registry.get(LEASES, LEASE_NAMESPACE, name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      // 2. Silence on our clock since the liveness signature last changed.
      const now = clock.now();
      const sig = liveness(node, lease);
      const probe = probes.get(name);
      if (!probe || probe.signature !== sig) probes.set(name, { signature: sig, observedAt: now });
      const stale = now - (probes.get(name)!.observedAt) > opts.gracePeriodMs;
      // 3. Apply the plan: status first, then the taint.
      const plan = planNode(node, stale, new Date(now));
      if (plan.conditions) {
        opts.log.warn({ node: name }, 'node stopped posting status; marking conditions Unknown');
        await registry.guaranteedUpdate(NODES, undefined, name, (cur) => {
          const again = planNode(cur!, stale, new Date(now));
          if (again.conditions) cur!.status = { ...(cur!.status ?? {}), conditions: again.conditions };
          return cur!;
        }, { ...write, subresource: 'status' });
      }
      if (plan.taints) {
        await registry.guaranteedUpdate(NODES, undefined, name, (cur) => {
          const again = planNode(cur!, stale, new Date(now));
          if (again.taints) cur!.spec = { ...(cur!.spec ?? {}), taints: again.taints };
          if (cur!.spec.taints?.length === 0) delete cur!.spec.taints;
          return cur!;
        }, write);
      }
    },
  });
  return handle;
}
