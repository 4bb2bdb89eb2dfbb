// The scheduler caches every unassigned and assigned pod; a full pod (env, volumes, managedFields,
// status) costs several KiB on the heap, so the caches keep only what filters, scores, the
// unschedulable status check and event recording read.
import type { KubeObject } from '../../api/types.js';

/** Container fields the scheduler reads: requests/limits and host ports. */
const slimContainer = (c: { name?: string; resources?: unknown; ports?: { hostPort?: number }[] }) => {
  const out: Record<string, unknown> = { name: c.name };
  if (c.resources) out.resources = c.resources;
  const ports = (c.ports ?? []).filter((p) => p.hostPort);
  if (ports.length) out.ports = ports;
  return out;
};

const SPEC_FIELDS = [
  'nodeName',
  'schedulerName',
  'schedulingGates',
  'nodeSelector',
  'affinity',
  'tolerations',
  'overhead',
  'priority',
  'priorityClassName',
] as const;

/** A pod reduced to its scheduling-relevant fields; still a KubeObject, so the pure plugins take it. */
export function slimPod(pod: KubeObject): KubeObject {
  const m = pod.metadata;
  const metadata: KubeObject['metadata'] = { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion };
  if (m.labels) metadata.labels = m.labels;
  if (m.deletionTimestamp) metadata.deletionTimestamp = m.deletionTimestamp;
  if (m.ownerReferences?.length) metadata.ownerReferences = m.ownerReferences.map((o) => ({ ...o }));
  const spec: Record<string, unknown> = {};
  const src = pod.spec ?? {};
  for (const f of SPEC_FIELDS) if (src[f] !== undefined) spec[f] = src[f];
  spec.containers = (src.containers ?? []).map(slimContainer);
  if (src.initContainers?.length) spec.initContainers = src.initContainers.map(slimContainer);
  const status: Record<string, unknown> = {};
  if (pod.status?.phase) status.phase = pod.status.phase;
  const cond = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
  if (cond) status.conditions = [cond];
  return { apiVersion: pod.apiVersion, kind: pod.kind, metadata, spec, status };
}
