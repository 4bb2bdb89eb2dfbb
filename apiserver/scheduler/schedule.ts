// One scheduling decision: filter every node, score the survivors, pick the best; or explain,
// in kube-scheduler's exact words, why no node fits. Pure.
import type { KubeObject } from '../../api/types.js';
import { runFilters } from './filters.js';
import { scoreNodes } from './scores.js';

export type ScheduleResult = { node: string } | { reasons: Record<string, number>; message: string };

export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';

export function schedule(pod: KubeObject, nodes: KubeObject[], podsByNode: Record<string, KubeObject[]>): ScheduleResult {
  if (nodes.length === 0) return { reasons: {}, message: NO_NODES_MESSAGE };
  const reasons: Record<string, number> = {};
  const feasible: KubeObject[] = [];
  for (const node of nodes) {
    const failed = runFilters(pod, node, podsByNode[node.metadata.name!] ?? []);
    if (failed.length === 0) feasible.push(node);
    for (const r of failed) reasons[r] = (reasons[r] ?? 0) + 1;
  }
  if (feasible.length > 0) return { node: scoreNodes(pod, feasible, podsByNode)[0].node };
  return { reasons, message: fitErrorMessage(nodes.length, reasons) };
}

/**
 * `0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.
 * preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`
 * Like Kubernetes, the "count reason" strings are sorted as strings. There is no preemption here,
 * so every node is reported as not helped by it.
 */
export function fitErrorMessage(numNodes: number, reasons: Record<string, number>): string {
  const parts = Object.entries(reasons)
    .map(([r, n]) => `${n} ${r}`)
    .sort();
  return (
    `0/${numNodes} nodes are available: ${parts.join(', ')}. ` +
    `preemption: 0/${numNodes} nodes are available: ${numNodes} Preemption is not helpful for scheduling.`
  );
}
