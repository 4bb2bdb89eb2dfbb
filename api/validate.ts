// Entry points to per-kind defaulting and validation. Pure: no I/O, no clock beyond what is passed.
import type { FieldCause } from '../lib/errors.js';
import type { ResourceInfo } from './resources.js';
import type { KubeObject } from './types.js';

/** Fill Kubernetes defaults in place (restartPolicy, dnsPolicy, protocol TCP, imagePullPolicy, replicas 1, strategy, ...). */
export function applyDefaults(ri: ResourceInfo, obj: KubeObject): void {
  throw new Error('TODO');
}

/** Field problems of a new object; [] when valid. Paths like `spec.containers[0].image`. */
export function validateCreate(ri: ResourceInfo, obj: KubeObject): FieldCause[] {
  throw new Error('TODO');
}

/** Field problems of an update, including immutability (pod spec, selectors, clusterIP, ...). */
export function validateUpdate(ri: ResourceInfo, obj: KubeObject, old: KubeObject): FieldCause[] {
  throw new Error('TODO');
}
