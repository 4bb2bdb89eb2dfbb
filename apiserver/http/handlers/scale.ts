// The autoscaling/v1 Scale view of workloads: `kubectl scale` and HPA-style clients use it.
import type { ResourceInfo } from '../../../api/resources.js';
import { labelSelectorFromObject, labelSelectorToString } from '../../../api/selectors.js';
import type { KubeObject } from '../../../api/types.js';
import { ApiError } from '../../../lib/errors.js';

export function scaleOf(ri: ResourceInfo, obj: KubeObject): KubeObject {
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: {
      replicas: obj.status?.replicas ?? 0,
      selector: labelSelectorToString(labelSelectorFromObject(obj.spec?.selector)),
    },
  };
}

/** Apply a desired Scale to the object; a stale resourceVersion in the Scale is a conflict. */
export function applyScale(ri: ResourceInfo, obj: KubeObject, scale: KubeObject): KubeObject {
  const replicas = scale?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0)
    throw new ApiError('Invalid', `Scale.autoscaling "${obj.metadata.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`, {
      name: obj.metadata.name,
      group: 'autoscaling',
      kind: 'Scale',
      causes: [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${replicas}: must be greater than or equal to 0` }],
    });
  const next = { ...obj, spec: { ...obj.spec, replicas } };
  next.metadata = { ...obj.metadata };
  if (scale.metadata?.resourceVersion) next.metadata.resourceVersion = scale.metadata.resourceVersion;
  void ri;
  return next;
}
