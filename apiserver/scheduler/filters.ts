// Filter plugins: may this pod run on this node? Each returns the Kubernetes reason strings that
// rule the node out ([] = fits). Pure; order and wording follow kube-scheduler's default plugins.
import type { KubeObject } from '../../api/types.js';
import { isTerminal, nodeAllocatable, podHostPorts, podRequests } from './pod-resources.js';

export const REASON = {
  unschedulable: 'node(s) were unschedulable',
  nodeName: "node(s) didn't match the requested node name",
  affinity: "node(s) didn't match Pod's node affinity/selector",
  ports: "node(s) didn't have free ports for the requested pod ports",
  tooManyPods: 'Too many pods',
  insufficient: (resource: string) => `Insufficient ${resource}`,
  taint: (t: Taint) => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`,
} as const;

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Equal' | 'Exists';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/**
 * The node's taints, plus the one the node lifecycle controller would add for a node that is not
 * Ready: Kubernetes expresses readiness as taints, so not-ready nodes report
 * `{node.kubernetes.io/not-ready: }` and pods tolerating it (DaemonSets) still land.
 */
export function effectiveTaints(node: KubeObject): Taint[] {
  const taints: Taint[] = [...(node.spec?.taints ?? [])];
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  const status = ready?.status;
  if (status !== 'True') {
    const key = status === 'Unknown' ? TAINT_UNREACHABLE : TAINT_NOT_READY;
    if (!taints.some((t) => t.key === key && t.effect === 'NoSchedule')) taints.push({ key, effect: 'NoSchedule' });
  }
  return taints;
}

export function filterUnschedulable(pod: KubeObject, node: KubeObject): string[] {
  if (!node.spec?.unschedulable) return [];
  const taint = { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' };
  const tolerations: Toleration[] = pod.spec?.tolerations ?? [];
  return tolerations.some((t) => tolerates(t, taint)) ? [] : [REASON.unschedulable];
}

export function filterNodeName(pod: KubeObject, node: KubeObject): string[] {
  const want = pod.spec?.nodeName;
  return want && want !== node.metadata.name ? [REASON.nodeName] : [];
}

export function filterTaints(pod: KubeObject, node: KubeObject): string[] {
  const tolerations: Toleration[] = pod.spec?.tolerations ?? [];
  for (const taint of effectiveTaints(node)) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return [REASON.taint(taint)];
  }
  return [];
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

const intOf = (s: string | undefined): number | undefined => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined);

export function matchRequirement(req: NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, req.key);
  const v = values[req.key];
  switch (req.operator) {
    case 'In':
      return has && (req.values ?? []).includes(v);
    case 'NotIn':
      return !has || !(req.values ?? []).includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const a = intOf(has ? v : undefined);
      const b = intOf(req.values?.[0]);
      if (a === undefined || b === undefined || req.values?.length !== 1) return false;
      return req.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A term matches when all its requirements do; a term with none matches nothing. */
export function matchTerm(term: NodeSelectorTerm, node: KubeObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  const nodeFields = { 'metadata.name': node.metadata.name ?? '' };
  return exprs.every((r) => matchRequirement(r, labels)) && fields.every((r) => matchRequirement(r, nodeFields));
}

export function filterNodeAffinity(pod: KubeObject, node: KubeObject): string[] {
  const labels = node.metadata.labels ?? {};
  const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
  if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) return [REASON.affinity];
  const terms: NodeSelectorTerm[] | undefined =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  // Terms are ORed; an empty list matches nothing (as in Kubernetes).
  if (terms && !terms.some((t) => matchTerm(t, node))) return [REASON.affinity];
  return [];
}

export function filterHostPorts(pod: KubeObject, nodePods: KubeObject[]): string[] {
  const want = podHostPorts(pod);
  if (want.length === 0) return [];
  const used = nodePods.filter((p) => !isTerminal(p)).flatMap(podHostPorts);
  const clash = want.some((w) =>
    used.some((u) => u.port === w.port && u.protocol === w.protocol && (u.hostIP === w.hostIP || u.hostIP === '0.0.0.0' || w.hostIP === '0.0.0.0')),
  );
  return clash ? [REASON.ports] : [];
}

/** Requests of non-terminal pods already on the node plus this pod's must fit allocatable. */
export function filterResources(pod: KubeObject, node: KubeObject, nodePods: KubeObject[]): string[] {
  const reasons: string[] = [];
  const alloc = nodeAllocatable(node);
  const active = nodePods.filter((p) => !isTerminal(p));
  if (active.length + 1 > (alloc.pods ?? 110)) reasons.push(REASON.tooManyPods);
  const want = podRequests(pod);
  const used: Record<string, number> = {};
  for (const p of active) for (const [k, v] of Object.entries(podRequests(p))) used[k] = (used[k] ?? 0) + v;
  // cpu and memory first, the rest by name, so messages read as Kubernetes prints them.
  const names = Object.keys(want)
    .filter((k) => k !== 'pods' && want[k] > 0)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  // Tolerate float noise from summing decimal quantities (0.1 + 0.2 cores).
  const eps = 1e-9;
  for (const k of names) if ((used[k] ?? 0) + want[k] > (alloc[k] ?? 0) + eps) reasons.push(REASON.insufficient(k));
  return reasons;
}

const rank = (k: string): number => (k === 'cpu' ? 0 : k === 'memory' ? 1 : 2);

/** Every filter in kube-scheduler's order; the first plugin that rejects decides the reasons. */
export function runFilters(pod: KubeObject, node: KubeObject, nodePods: KubeObject[]): string[] {
  const plugins: (() => string[])[] = [
    () => filterUnschedulable(pod, node),
    () => filterNodeName(pod, node),
    () => filterTaints(pod, node),
    () => filterNodeAffinity(pod, node),
    () => filterHostPorts(pod, nodePods),
    () => filterResources(pod, node, nodePods),
  ];
  for (const p of plugins) {
    const reasons = p();
    if (reasons.length) return reasons;
  }
  return [];
}
