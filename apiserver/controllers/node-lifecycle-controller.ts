// Node lifecycle: a node whose agent went silent for longer than the grace period gets its
// conditions set to Unknown ("Kubelet stopped posting node status.") and the
// node.kubernetes.io/unreachable NoSchedule and NoExecute taints (not-ready NoExecute when it reports
// Ready=False, unschedulable NoSchedule while cordoned); they go when it reports Ready again.
// Silence is measured on this controller's clock from when it last SAW the lease or heartbeat
// change (as Kubernetes' probe timestamps), so clock skew or an apiserver restart never makes
// every node look dead at once. Evicting pods from NoExecute nodes is taint-eviction.ts's job.
import { resourceFor } from '../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { runController, type ControllerHandle } from './run-controller.js';

export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';
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
  const taints: NodeTaint[] = node.spec?.taints ?? [];
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
  }
  const next = managedTaints(taints, stale ? 'Unknown' : ready?.status, !!node.spec?.unschedulable, now);
  if (next) out.taints = next;
  return out;
}

type NodeTaint = { key: string; effect: string; value?: string; timeAdded?: string };
const MANAGED = [`${UNREACHABLE_TAINT}:NoSchedule`, `${UNREACHABLE_TAINT}:NoExecute`, `${NOT_READY_TAINT}:NoExecute`, `${UNSCHEDULABLE_TAINT}:NoSchedule`];
const id = (t: NodeTaint) => `${t.key}:${t.effect}`;

/**
 * The taints this controller owns, as Kubernetes sets them: unreachable (silent node) NoSchedule and
 * NoExecute, not-ready NoExecute (Ready=False), unschedulable NoSchedule (cordoned). While readiness
 * is unsettled (not True, not False, not silent) they stay as they are. undefined = no change.
 */
function managedTaints(taints: NodeTaint[], ready: string | undefined, unschedulable: boolean, now: Date): NodeTaint[] | undefined {
  const have = new Set(taints.map(id).filter((k) => MANAGED.includes(k)));
  const want = new Set<string>();
  if (ready === 'Unknown' || ready === 'False' || ready === 'True') {
    if (ready === 'Unknown') (want.add(`${UNREACHABLE_TAINT}:NoSchedule`), want.add(`${UNREACHABLE_TAINT}:NoExecute`));
    if (ready === 'False') want.add(`${NOT_READY_TAINT}:NoExecute`);
  } else for (const k of have) if (!k.startsWith(UNSCHEDULABLE_TAINT)) want.add(k);
  if (unschedulable) want.add(`${UNSCHEDULABLE_TAINT}:NoSchedule`);
  if (have.size === want.size && [...want].every((k) => have.has(k))) return undefined;
  const kept = taints.filter((t) => !MANAGED.includes(id(t)) || want.has(id(t)));
  for (const k of MANAGED.filter((m) => want.has(m) && !have.has(m))) {
    const [key, effect] = [k.slice(0, k.lastIndexOf(':')), k.slice(k.lastIndexOf(':') + 1)];
    kept.push({ key, effect, timeAdded: nowRfc3339(now) });
  }
  return kept;
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
