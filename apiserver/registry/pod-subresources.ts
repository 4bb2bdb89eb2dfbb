// pods/binding (how the scheduler assigns a node) and pods/eviction (how drain removes a pod).
import { resourceFor } from '../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { ApiError, badRequest } from '../../lib/errors.js';
import type { Registry, WriteOptions } from './types.js';

const PODS = resourceFor('', 'pods')!;

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

export async function evictPod(reg: Registry, ns: string, eviction: KubeObject, opts: WriteOptions): Promise<KubeObject> {
  const name = eviction.metadata?.name;
  if (!name) throw badRequest('Eviction: metadata.name is required');
  // PodDisruptionBudgets are checked by the disruption controller's issue; until then eviction is a graceful delete.
  await reg.delete(PODS, ns, name, { ...eviction.deleteOptions, user: opts.user, dryRun: opts.dryRun });
  return successStatus(201);
}

export function successStatus(code: number): KubeObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code } as KubeObject;
}
