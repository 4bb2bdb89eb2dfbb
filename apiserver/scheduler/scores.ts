// Score plugins for nodes that passed the filters: least-allocated resources, spreading pods of
// the same owner, preferred node affinity. Pure; scores are 0-100 per plugin, summed.
import type { KubeObject } from '../../api/types.js';
import { matchTerm, type NodeSelectorTerm } from './filters.js';
import { isTerminal, nodeAllocatable, podNonZeroRequests } from './pod-resources.js';

/** Free share of cpu and memory after placing the pod, averaged: emptier nodes score higher. */
export function scoreLeastAllocated(pod: KubeObject, node: KubeObject, nodePods: KubeObject[]): number {
  const alloc = nodeAllocatable(node);
  const want = podNonZeroRequests(pod);
  let cpu = want.cpu;
  let memory = want.memory;
  for (const p of nodePods) {
    if (isTerminal(p)) continue;
    const r = podNonZeroRequests(p);
    cpu += r.cpu;
    memory += r.memory;
  }
  const free = (used: number, cap: number | undefined): number => (cap && cap > 0 ? Math.max(0, (cap - used) / cap) * 100 : 0);
  return (free(cpu, alloc.cpu) + free(memory, alloc.memory)) / 2;
}

const controllerUid = (pod: KubeObject): string | undefined =>
  pod.metadata.ownerReferences?.find((o) => o.controller)?.uid ?? pod.metadata.ownerReferences?.[0]?.uid;

/** Count pods on each node with the same owner as the pod. */
export function sameOwnerCounts(pod: KubeObject, nodes: KubeObject[], podsByNode: Record<string, KubeObject[]>): Map<string, number> {
  const owner = controllerUid(pod);
  const out = new Map<string, number>();
  for (const n of nodes) {
    const pods = podsByNode[n.metadata.name!] ?? [];
    out.set(n.metadata.name!, owner ? pods.filter((p) => !isTerminal(p) && controllerUid(p) === owner).length : 0);
  }
  return out;
}

/** 100 for the node(s) with fewest siblings of this pod, scaled down to 0 for the most crowded. */
export function scoreSpread(count: number, maxCount: number): number {
  return maxCount === 0 ? 100 : ((maxCount - count) / maxCount) * 100;
}

/** Sum of weights of matching preferred terms, as a share of all weights. */
export function scorePreferredAffinity(pod: KubeObject, node: KubeObject): number {
  const prefs: { weight: number; preference: NodeSelectorTerm }[] =
    pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const total = prefs.reduce((a, p) => a + (p.weight ?? 0), 0);
  if (total <= 0) return 0;
  const hit = prefs.filter((p) => matchTerm(p.preference, node)).reduce((a, p) => a + (p.weight ?? 0), 0);
  return (hit / total) * 100;
}

export interface NodeScore {
  node: string;
  score: number;
}

/** Score feasible nodes, best first; equal scores are ordered by node name for determinism. */
export function scoreNodes(pod: KubeObject, nodes: KubeObject[], podsByNode: Record<string, KubeObject[]>): NodeScore[] {
  const counts = sameOwnerCounts(pod, nodes, podsByNode);
  const maxCount = Math.max(0, ...counts.values());
  const scored = nodes.map((n) => {
    const name = n.metadata.name!;
    const pods = podsByNode[name] ?? [];
    // Spread weighs double: replicas on separate nodes matter more than perfect balance.
    const score =
      scoreLeastAllocated(pod, n, pods) + 2 * scoreSpread(counts.get(name) ?? 0, maxCount) + scorePreferredAffinity(pod, n);
    return { node: name, score: Math.round(score * 1000) / 1000 };
  });
  return scored.sort((a, b) => b.score - a.score || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}
