// What the server owns on every write: identity, timestamps, generation, and the split between
// the main resource and its status subresource. Pure functions over (new, old).
import type { ResourceInfo } from '../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { invalid, type FieldCause } from '../../lib/errors.js';
import { deepCopy, jsonEqual } from './codec.js';
import { generateName, newUid } from './names.js';

export function prepareForCreate(ri: ResourceInfo, obj: KubeObject, namespace: string | undefined, now: Date): void {
  const m = obj.metadata;
  if (!m.name && m.generateName) m.name = generateName(m.generateName);
  if (ri.namespaced) m.namespace = namespace;
  else delete m.namespace;
  m.uid = newUid();
  m.creationTimestamp = nowRfc3339(now);
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete (m as Record<string, unknown>).selfLink;
  if (ri.hasGeneration) m.generation = 1;
  else delete m.generation;
  if (ri.kind === 'Job') generateJobSelector(obj);
  // A new object's status is the server's to fill, except where clients legitimately create with
  // status (nodes report theirs; events and leases have none).
  if (ri.hasStatus && ri.kind !== 'Node' && ri.kind !== 'Pod') delete obj.status;
  // Kubernetes ignores a client-sent pod status at create: the node reports it.
  if (ri.kind === 'Pod') obj.status = { phase: 'Pending' };
}

/** Restrict an update to what the caller may change through the main resource or a subresource. */
export function prepareForUpdate(ri: ResourceInfo, obj: KubeObject, old: KubeObject, subresource: string | undefined): KubeObject {
  let next: KubeObject;
  if (subresource === 'status') {
    // Status writers change status only (and may touch labels/annotations is NOT allowed: Kubernetes resets metadata).
    next = deepCopy(old);
    next.status = obj.status;
  } else if (subresource === 'finalize') {
    next = deepCopy(old);
    next.spec = { ...(old.spec ?? {}), finalizers: obj.spec?.finalizers ?? [] };
  } else {
    next = obj;
    if (ri.hasStatus) next.status = deepCopy(old.status);
  }
  const m = next.metadata;
  const om = old.metadata;
  m.name = om.name;
  m.namespace = om.namespace;
  m.uid = om.uid;
  m.creationTimestamp = om.creationTimestamp;
  m.deletionTimestamp = om.deletionTimestamp;
  m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
  if (m.deletionTimestamp === undefined) delete m.deletionTimestamp;
  if (m.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
  if (om.generateName !== undefined) m.generateName = om.generateName;
  delete (m as Record<string, unknown>).selfLink;
  if (ri.hasGeneration) {
    m.generation = om.generation ?? 1;
    if (specChanged(next, old)) m.generation += 1;
  } else delete m.generation;
  return next;
}

function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
    return rest;
  };
  return !jsonEqual(strip(a), strip(b));
}

/** True when an update would change nothing a client can observe (so no new revision is written). */
export function isNoop(next: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const c = { ...o, metadata: { ...o.metadata } };
    delete c.metadata.resourceVersion;
    delete c.metadata.managedFields;
    return c;
  };
  return jsonEqual(strip(next), strip(old));
}

/** The checks Kubernetes applies to metadata on update regardless of kind. */
export function checkMetaUpdate(ri: ResourceInfo, obj: KubeObject, old: KubeObject): void {
  const causes: FieldCause[] = [];
  if (obj.metadata.name !== undefined && obj.metadata.name !== old.metadata.name)
    causes.push({ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${obj.metadata.name}": field is immutable` });
  if (obj.metadata.uid && obj.metadata.uid !== old.metadata.uid)
    causes.push({ reason: 'FieldValueInvalid', field: 'metadata.uid', message: `Invalid value: "${obj.metadata.uid}": field is immutable` });
  if (causes.length) throw invalid(ri.kind, old.metadata.name ?? '', causes, ri.group);
}

export const nowIso = (d: Date): string => nowRfc3339(d);

/** Jobs get a selector on their own uid unless the user manages it (manualSelector), as Kubernetes does. */
function generateJobSelector(job: KubeObject): void {
  const spec = (job.spec ??= {});
  if (spec.manualSelector === true) return;
  const uid = job.metadata.uid!;
  const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': job.metadata.name ?? '', 'controller-uid': uid, 'job-name': job.metadata.name ?? '' };
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.metadata.labels = { ...(spec.template.metadata.labels ?? {}), ...labels };
}
