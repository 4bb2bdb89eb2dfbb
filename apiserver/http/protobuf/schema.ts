// One protobufjs Root built from the transcribed .proto texts, and the table of which message
// decodes which (apiVersion, kind). Built lazily: most requests never need it.
import protobuf from 'protobufjs';
import { META_PROTO } from './proto-meta.js';
import { CORE_PROTO } from './proto-core.js';
import { POD_PROTO } from './proto-pod.js';
import { WORKLOADS_PROTO } from './proto-workloads.js';
import { VOLUMES_PROTO } from './proto-volumes.js';

/** apiVersion/kind → message name in the k8s package. */
const KINDS: Record<string, string> = {
  'v1/Namespace': 'Namespace',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Service': 'Service',
  'v1/ResourceQuota': 'ResourceQuota',
  'v1/Pod': 'Pod',
  'apps/v1/Deployment': 'Deployment',
  'apps/v1/ReplicaSet': 'ReplicaSet',
  'batch/v1/Job': 'Job',
  'batch/v1/CronJob': 'CronJob',
  'policy/v1/PodDisruptionBudget': 'PodDisruptionBudget',
};

let root: protobuf.Root | undefined;

function getRoot(): protobuf.Root {
  if (!root) {
    const r = new protobuf.Root();
    for (const text of [META_PROTO, CORE_PROTO, POD_PROTO, VOLUMES_PROTO, WORKLOADS_PROTO]) protobuf.parse(text, r, { keepCase: true });
    r.resolveAll();
    root = r;
  }
  return root;
}

/** The runtime.Unknown envelope every protobuf body is wrapped in. */
export const unknownType = (): protobuf.Type => getRoot().lookupType('k8s.Unknown');

/** The message type for an object kind, or undefined when it is not transcribed. */
export function typeForKind(apiVersion: string, kind: string): protobuf.Type | undefined {
  const name = KINDS[`${apiVersion}/${kind}`];
  return name ? getRoot().lookupType(`k8s.${name}`) : undefined;
}

/** Every "apiVersion/kind" that can be decoded. */
export const protobufKinds = (): string[] => Object.keys(KINDS);
