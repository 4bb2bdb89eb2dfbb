// The DaemonSet controller's pure core: which nodes should run the daemon pod (node selector, node
// affinity, taints against the template's tolerations plus the DaemonSet defaults), one pod per such
// node pinned by node affinity, extras and misplaced pods deleted, RollingUpdate within
// maxUnavailable, and the status counters `kubectl get ds` shows.
import type { KubeObject } from '../../api/types.js';
import { filterNodeAffinity, tolerates, type Taint, type Toleration } from '../scheduler/filters.js';
import { isActivePod, isDeleting, isPodAvailable, isPodReady, scaledValue, templateHash } from './owned-pods.js';

export const REVISION_LABEL = 'controller-revision-hash';

/** The tolerations Kubernetes adds to every daemon pod, so node trouble never evicts it. */
export function daemonTolerations(podSpec: Record<string, any>): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (podSpec.hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const have: Toleration[] = podSpec.tolerations ?? [];
  return [...have, ...t.filter((d) => !have.some((h) => h.key === d.key && h.effect === d.effect))];
}

/**
 * Should a daemon pod run on this node? A new one needs NoSchedule and NoExecute taints tolerated;
 * one already running there is only sent away by NoExecute taints (as Kubernetes).
 */
export function shouldRunOn(ds: KubeObject, node: KubeObject, running = false): boolean {
  const spec = ds.spec?.template?.spec ?? {};
  const probe = { metadata: {}, spec } as KubeObject;
  if (filterNodeAffinity(probe, node).length) return false;
  const tolerations = daemonTolerations(spec);
  const taints: Taint[] = node.spec?.taints ?? [];
  const effects = running ? ['NoExecute'] : ['NoSchedule', 'NoExecute'];
  return taints.every((taint) => !effects.includes(taint.effect) || tolerations.some((t) => tolerates(t, taint)));
}

/** The node a daemon pod is for: bound, or pinned by its node affinity. */
export function daemonPodNode(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    const f = (term.matchFields ?? []).find((x: { key: string; operator: string }) => x.key === 'metadata.name' && x.operator === 'In');
    if (f?.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** Pin a pod spec to one node through required node affinity (the scheduler then binds it there). */
export function pinToNode(spec: Record<string, any>, node: string): void {
  const field = { key: 'metadata.name', operator: 'In', values: [node] };
  const na = ((spec.affinity ??= {}).nodeAffinity ??= {});
  const req = (na.requiredDuringSchedulingIgnoredDuringExecution ??= { nodeSelectorTerms: [] });
  const terms: Record<string, any>[] = req.nodeSelectorTerms ?? [];
  req.nodeSelectorTerms = terms.length
    ? terms.map((t) => ({ ...t, matchFields: [...(t.matchFields ?? []).filter((f: { key: string }) => f.key !== 'metadata.name'), field] }))
    : [{ matchFields: [field] }];
  spec.tolerations = daemonTolerations(spec);
}

export interface DaemonSetPlan {
  /** node names that get a new pod */
  create: string[];
  /** pod names to delete */
  delete: string[];
  status: Record<string, any>;
  hash: string;
}

export function planDaemonSet(ds: KubeObject, nodes: KubeObject[], pods: KubeObject[], nowMs: number): DaemonSetPlan {
  const hash = templateHash(ds.spec?.template);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const byNode = new Map<string, KubeObject[]>();
  const orphans: KubeObject[] = [];
  for (const p of pods) {
    const n = daemonPodNode(p);
    if (!n) orphans.push(p);
    else byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  const plan: DaemonSetPlan = { create: [], delete: orphans.filter((p) => !isDeleting(p)).map((p) => p.metadata.name!), status: {}, hash };
  const nodeNames = new Set(nodes.map((n) => n.metadata.name!));
  for (const [n, ps] of byNode) if (!nodeNames.has(n)) plan.delete.push(...ps.filter((p) => !isDeleting(p)).map((p) => p.metadata.name!));

  // 1. Per node: create, keep one (the oldest), drop extras, failed and misplaced pods.
  let desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
  const kept: { node: string; pod: KubeObject }[] = [];
  for (const node of nodes) {
    const name = node.metadata.name!;
    const ps = (byNode.get(name) ?? []).sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
    const live = ps.filter(isActivePod);
    const failed = ps.filter((p) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded').filter((p) => !isDeleting(p));
    plan.delete.push(...failed.map((p) => p.metadata.name!));
    if (!shouldRunOn(ds, node, live.length > 0)) {
      if (live.length) misscheduled++;
      plan.delete.push(...live.map((p) => p.metadata.name!));
      continue;
    }
    desired++;
    if (live.length === 0) {
      // a pod still terminating here must be gone before its replacement starts
      if (!ps.some((p) => isDeleting(p) && isActivePodIgnoringDeletion(p))) plan.create.push(name);
      continue;
    }
    current++;
    plan.delete.push(...live.slice(1).map((p) => p.metadata.name!));
    const pod = live[0];
    if (isPodReady(pod)) ready++;
    if (isPodAvailable(pod, minReady, nowMs)) available++;
    if (pod.metadata.labels?.[REVISION_LABEL] === hash) updated++;
    kept.push({ node: name, pod });
  }

  // 2. RollingUpdate: replace old pods, never more than maxUnavailable unavailable at once.
  const strategy = ds.spec?.updateStrategy ?? {};
  if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const maxUnavailable = Math.max(1, scaledValue(strategy.rollingUpdate?.maxUnavailable, desired, true, 1));
    let unavailable = desired - available;
    const old = kept.filter((k) => k.pod.metadata.labels?.[REVISION_LABEL] !== hash);
    for (const k of old.filter((o) => !isPodAvailable(o.pod, minReady, nowMs))) plan.delete.push(k.pod.metadata.name!);
    for (const k of old.filter((o) => isPodAvailable(o.pod, minReady, nowMs))) {
      if (unavailable >= maxUnavailable) break;
      plan.delete.push(k.pod.metadata.name!);
      unavailable++;
    }
  }

  plan.delete = [...new Set(plan.delete)];
  plan.status = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    observedGeneration: ds.metadata.generation,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
  if (!available) delete plan.status.numberAvailable;
  if (desired - available === 0) delete plan.status.numberUnavailable;
  return plan;
}

const isActivePodIgnoringDeletion = (p: KubeObject): boolean => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
