// Entry points to per-kind defaulting and validation. Pure: no I/O, no clock beyond what is passed.
import type { FieldCause } from '../lib/errors.js';
import { defaultPod } from './defaults/pod.js';
import { defaultService } from './defaults/service.js';
import {
  defaultEndpointSlice, defaultEndpoints, defaultNamespace, defaultNode, defaultPv, defaultPvc, defaultSecret,
} from './defaults/misc.js';
import {
  defaultCronJob, defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultStatefulSet,
} from './defaults/workloads.js';
import type { ResourceInfo } from './resources.js';
import type { KubeObject } from './types.js';
import { validateCronJob, validateJob, validateJobUpdate } from './validation/batch.js';
import { validateConfigMap, validateConfigUpdate, validateSecret } from './validation/config.js';
import { clone, IMMUTABLE } from './validation/field.js';
import { subdomainRules, validateObjectMeta, validateObjectMetaUpdate, type MetaRules } from './validation/meta.js';
import {
  validateControllerRevision, validateControllerRevisionUpdate, validateEndpointSlice, validateEndpointSliceUpdate,
  validateEndpoints, validateEvent, validateLease, validateNamespace, validateNode, validatePdb, validatePv, validatePvc,
} from './validation/misc.js';
import { validatePod, validatePodUpdate } from './validation/pod.js';
import { validateService, validateServiceUpdate } from './validation/service.js';
import {
  selectorImmutable, statefulSetSpecFrozen, validateDaemonSet, validateDeployment, validateReplicaSet, validateStatefulSet,
} from './validation/workloads.js';
import { isDns1035Label, isDns1123Label } from './names.js';

type Check = (obj: KubeObject) => FieldCause[];
type UpdateCheck = (obj: KubeObject, old: KubeObject) => FieldCause[];

const DEFAULTERS: Record<string, (obj: KubeObject) => void> = {
  Pod: defaultPod,
  Service: defaultService,
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  StatefulSet: defaultStatefulSet,
  DaemonSet: defaultDaemonSet,
  Job: defaultJob,
  CronJob: defaultCronJob,
  Secret: defaultSecret,
  Namespace: defaultNamespace,
  PersistentVolumeClaim: defaultPvc,
  PersistentVolume: defaultPv,
  Endpoints: defaultEndpoints,
  EndpointSlice: defaultEndpointSlice,
  Node: defaultNode,
};

const CREATE: Record<string, Check> = {
  Pod: validatePod,
  Service: validateService,
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  StatefulSet: validateStatefulSet,
  DaemonSet: validateDaemonSet,
  Job: validateJob,
  CronJob: validateCronJob,
  ConfigMap: validateConfigMap,
  Secret: validateSecret,
  Namespace: validateNamespace,
  Node: validateNode,
  Event: validateEvent,
  Lease: validateLease,
  EndpointSlice: validateEndpointSlice,
  Endpoints: validateEndpoints,
  PersistentVolumeClaim: validatePvc,
  PersistentVolume: validatePv,
  PodDisruptionBudget: validatePdb,
  ControllerRevision: validateControllerRevision,
};

/** Update checks that go beyond "the new object is valid": immutability. */
const UPDATE: Record<string, UpdateCheck> = {
  Pod: validatePodUpdate,
  Service: validateServiceUpdate,
  Deployment: (o, old) => [...validateDeployment(o), ...selectorImmutable(o, old)],
  ReplicaSet: (o, old) => [...validateReplicaSet(o), ...selectorImmutable(o, old)],
  DaemonSet: (o, old) => [...validateDaemonSet(o), ...selectorImmutable(o, old)],
  StatefulSet: (o, old) => [...validateStatefulSet(o), ...selectorImmutable(o, old), ...statefulSetSpecFrozen(o, old)],
  Job: validateJobUpdate,
  ConfigMap: (o, old) => validateConfigUpdate(o, old, 'ConfigMap'),
  Secret: (o, old) => validateConfigUpdate(o, old, 'Secret'),
  ControllerRevision: validateControllerRevisionUpdate,
  EndpointSlice: validateEndpointSliceUpdate,
};

function metaRules(ri: ResourceInfo): MetaRules {
  if (ri.kind === 'Service') return { namespaced: true, nameCheck: isDns1035Label };
  if (ri.kind === 'Namespace') return { namespaced: false, nameCheck: isDns1123Label };
  return subdomainRules(ri.namespaced);
}

/** Defaults are idempotent, so checks run on a defaulted copy: callers that forgot get the same answer. */
function defaulted(ri: ResourceInfo, obj: KubeObject): KubeObject {
  const copy = clone(obj);
  if (!copy.metadata) copy.metadata = {};
  applyDefaults(ri, copy);
  return copy;
}

/** Fill Kubernetes defaults in place (restartPolicy, dnsPolicy, protocol TCP, imagePullPolicy, replicas 1, strategy, ...). */
export function applyDefaults(ri: ResourceInfo, obj: KubeObject): void {
  DEFAULTERS[ri.kind]?.(obj);
}

/** Field problems of a new object; [] when valid. Paths like `spec.containers[0].image`. */
export function validateCreate(ri: ResourceInfo, obj: KubeObject): FieldCause[] {
  const o = defaulted(ri, obj);
  const check = CREATE[ri.kind];
  return check ? check(o) : validateObjectMeta(o.metadata, metaRules(ri));
}

/** Field problems of an update, including immutability (pod spec, selectors, clusterIP, ...). */
export function validateUpdate(ri: ResourceInfo, obj: KubeObject, old: KubeObject): FieldCause[] {
  const o = defaulted(ri, obj);
  const prev = defaulted(ri, old);
  const metaUpdate = validateObjectMetaUpdate(o.metadata, prev.metadata, metaRules(ri));
  const update = UPDATE[ri.kind];
  if (update) return dedupe([...update(o, prev), ...metaUpdate.filter((c) => c.message.endsWith(IMMUTABLE))]);
  const check = CREATE[ri.kind];
  return dedupe(check ? [...check(o), ...metaUpdate] : metaUpdate);
}

function dedupe(causes: FieldCause[]): FieldCause[] {
  const seen = new Set<string>();
  return causes.filter((c) => {
    const k = `${c.reason}\u0000${c.field}\u0000${c.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
