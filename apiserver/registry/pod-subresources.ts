// pods/binding (how the scheduler assigns a node) and pods/eviction (how drain removes a pod,
// honouring PodDisruptionBudgets).
import { resourceFor } from '../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { ApiError, badRequest } from '../../lib/errors.js';
import { budgetCovers, computeBudget, isHealthy } from './disruption-budget.js';
import type { Registry, WriteOptions } from './types.js';

const PODS = resourceFor('', 'pods')!;
const PDBS = resourceFor('policy', 'poddisruptionbudgets')!;

export async function bindPod(reg: Registry, ns: string, binding: KubeObject, opts: WriteOptions): Promise<KubeObject> {
  const name = binding.metadata?.name;
  const node = binding.target?.name;
  if (!name) throw badRequest('Binding: metadata.name is required');
  if (!node || (binding.target?.kind && binding.target.kind !== 'Node')) throw badRequest('Binding: target must name a Node');
  await reg.guaranteedUpdate(
    PODS,
    ns,
    name,
    (pod) => {
      if (pod!.metadata.deletionTimestamp) throw new ApiError('Conflict', `pod ${name} is being deleted, cannot be assigned to a host`);
      if (pod!.spec.nodeName) throw new ApiError('Conflict', `pod ${name} is already assigned to node "${pod!.spec.nodeName}"`);
      pod!.spec.nodeName = node;
      return pod!;
    },
    { user: opts.user, fieldManager: opts.fieldManager },
  );
  await reg.guaranteedUpdate(
    PODS,
    ns,
    name,
    (pod) => {
      const conds = (pod!.status.conditions ?? []).filter((c: { type: string }) => c.type !== 'PodScheduled');
      conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowRfc3339() });
      pod!.status.conditions = conds;
      return pod!;
    },
    { user: opts.user, fieldManager: opts.fieldManager, subresource: 'status' },
  );
  return successStatus(201);
}

// Evictions of one namespace run one at a time in this process, so two parallel evictions (kubectl
// drain sends them concurrently) never both spend the last allowed disruption.
const evictionQueues = new Map<string, Promise<unknown>>();

export async function evictPod(reg: Registry, ns: string, eviction: KubeObject, opts: WriteOptions): Promise<KubeObject> {
  const name = eviction.metadata?.name;
  if (!name) throw badRequest('Eviction: metadata.name is required');
  const prev = evictionQueues.get(ns) ?? Promise.resolve();
  const run = prev.catch(() => undefined).then(() => evictNow(reg, ns, name, eviction, opts));
  evictionQueues.set(ns, run);
  try {
    return await run;
  } finally {
    if (evictionQueues.get(ns) === run) evictionQueues.delete(ns);
  }
}

/** Steps: 1 the pod, 2 its one PodDisruptionBudget (if any) must allow a disruption, 3 delete. */
async function evictNow(reg: Registry, ns: string, name: string, eviction: KubeObject, opts: WriteOptions): Promise<KubeObject> {
  const pod = await reg.get(PODS, ns, name);
  const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  if (!finished && !pod.metadata.deletionTimestamp) {
    const pdbs = (await reg.list(PDBS, ns)).items.filter((b) => budgetCovers(b, pod));
    if (pdbs.length > 1) {
      throw new ApiError('InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    }
    if (pdbs.length === 1) {
      const pdb = pdbs[0];
      const budget = computeBudget(pdb, (await reg.list(PODS, ns)).items);
      // an unhealthy pod costs the budget nothing while the budget is met (IfHealthyBudget), or always (AlwaysAllow)
      const free = !isHealthy(pod) && (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || budget.currentHealthy >= budget.desiredHealthy);
      if (!free && budget.disruptionsAllowed <= 0) {
        throw new ApiError('TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
          causes: [{ reason: 'DisruptionBudget', field: '', message: `The disruption budget ${pdb.metadata.name} needs ${budget.desiredHealthy} healthy pods and has ${budget.currentHealthy} currently` }],
        });
      }
    }
  }
  await reg.delete(PODS, ns, name, { ...eviction.deleteOptions, user: opts.user, dryRun: opts.dryRun });
  return successStatus(201);
}

export function successStatus(code: number): KubeObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code } as KubeObject;
}
