// apimachinery schemas: metadata, selectors and the scalar-like types.
import { mergeByKey, mergeSet, object, objectHeader, opaque, type Schema } from './dsl.js';

const M = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

export const META_SCHEMAS: Record<string, Schema> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    type: 'string',
    description: 'An amount of a resource, such as "500m" CPU or "128Mi" memory.',
  },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    type: 'string',
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
    description: 'Either a number or a string, such as 8080 or "http" or "25%".',
  },
  [`${M}Time`]: { type: 'string', format: 'date-time', description: 'An RFC 3339 timestamp in UTC, to the second.' },
  [`${M}ObjectMeta`]: object('Metadata every persisted object carries.', {
    name: ['s', 'Unique name within the namespace (or the cluster for cluster-scoped kinds). Cannot be changed.'],
    generateName: ['s', 'Prefix for a server-generated name, used when name is empty.'],
    namespace: ['s', 'Namespace the object lives in; empty for cluster-scoped kinds.'],
    selfLink: ['s', 'Deprecated; not set by the server.'],
    uid: ['s', 'Unique identifier assigned by the server at creation. Read-only.'],
    resourceVersion: ['s', 'Opaque version of this object; used for optimistic concurrency and watches.'],
    generation: ['l', 'Sequence number of the desired state; bumped on every spec change. Read-only.'],
    creationTimestamp: ['t', 'When the object was created. Read-only.'],
    deletionTimestamp: ['t', 'When graceful deletion was requested. Read-only.'],
    deletionGracePeriodSeconds: ['l', 'Seconds the object has to terminate before it is removed. Read-only.'],
    labels: ['{s}', 'Key/value pairs used to select and group objects.'],
    annotations: ['{s}', 'Arbitrary non-identifying key/value metadata for tools and people.'],
    ownerReferences: [
      `[${M}OwnerReference]`,
      'Objects this object depends on; it is garbage-collected when they are gone.',
      mergeByKey('uid'),
    ],
    finalizers: ['[s]', 'Keys that must be removed before the object is deleted from storage.', mergeSet],
    managedFields: [`[${M}ManagedFieldsEntry]`, 'Which field manager set which fields. Mostly for internal use.'],
  }),
  [`${M}ListMeta`]: object('Metadata of a list response.', {
    resourceVersion: ['s', 'Version of the collection at the time it was listed; start a watch from it.'],
    continue: ['s', 'Token for fetching the next page when the list was limited.'],
    remainingItemCount: ['l', 'Approximate number of items not yet returned.'],
  }),
  [`${M}OwnerReference`]: object(
    'Points at an owning object in the same namespace.',
    {
      apiVersion: ['s', 'API version of the owner.'],
      kind: ['s', 'Kind of the owner.'],
      name: ['s', 'Name of the owner.'],
      uid: ['s', 'UID of the owner.'],
      controller: ['b', 'True when the owner is the managing controller.'],
      blockOwnerDeletion: ['b', 'When true the owner cannot be deleted in the foreground before this object.'],
    },
    ['apiVersion', 'kind', 'name', 'uid'],
  ),
  [`${M}ManagedFieldsEntry`]: object('Fields one manager owns.', {
    manager: ['s', 'Name of the field manager.'],
    operation: ['s', 'Apply or Update.'],
    apiVersion: ['s', 'Version of the object the fields refer to.'],
    time: ['t', 'When the entry last changed.'],
    fieldsType: ['s', 'Format of fieldsV1; always FieldsV1.'],
    fieldsV1: ['o', 'The owned field set.'],
    subresource: ['s', 'Subresource the fields were written through, if any.'],
  }),
  [`${M}LabelSelector`]: object('Matches objects by labels; all conditions must hold. Empty matches everything.', {
    matchLabels: ['{s}', 'Exact key/value pairs a label set must contain.'],
    matchExpressions: [`[${M}LabelSelectorRequirement]`, 'Set-based requirements.'],
  }),
  [`${M}LabelSelectorRequirement`]: object(
    'One set-based label requirement.',
    {
      key: ['s', 'Label key.'],
      operator: ['s', 'In, NotIn, Exists or DoesNotExist.'],
      values: ['[s]', 'Values for In/NotIn; must be empty for Exists/DoesNotExist.'],
    },
    ['key', 'operator'],
  ),
  [`${M}Condition`]: object('One aspect of an object\'s current state.', {
    type: ['s', 'Condition type in CamelCase.'],
    status: ['s', 'True, False or Unknown.'],
    observedGeneration: ['l', 'Generation the condition was computed for.'],
    lastTransitionTime: ['t', 'When the status last changed.'],
    reason: ['s', 'Machine-readable reason for the last transition.'],
    message: ['s', 'Human-readable details.'],
  }),
  [`${M}Patch`]: { type: 'object', description: 'A patch document; its format is given by the Content-Type.' },
  [`${M}Status`]: opaque('Result of an operation that returns no object, and every error.'),
  [`${M}DeleteOptions`]: opaque('Options of a delete: gracePeriodSeconds, propagationPolicy, preconditions, dryRun.'),
  'io.k8s.api.autoscaling.v1.Scale': {
    ...object('The scale subresource of a workload.', {
      ...objectHeader,
      spec: ['autoscaling.ScaleSpec', 'Desired scale.'],
      status: ['autoscaling.ScaleStatus', 'Observed scale. Read-only.'],
    }),
    'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
  },
  'io.k8s.api.autoscaling.v1.ScaleSpec': object('Desired scale.', { replicas: ['i', 'Desired number of replicas.'] }),
  'io.k8s.api.autoscaling.v1.ScaleStatus': object('Observed scale.', {
    replicas: ['i', 'Current number of replicas.'],
    selector: ['s', 'Label selector of the pods, in string form.'],
  }),
};
