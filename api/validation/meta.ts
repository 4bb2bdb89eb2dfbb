// ObjectMeta rules shared by every kind: names, namespaces, labels, annotations, owner references.
import { isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue } from '../names.js';
import type { ObjectMeta } from '../types.js';
import { checkName, forbidden, invalid, required, tooLong, IMMUTABLE, type Causes } from './field.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export interface MetaRules {
  namespaced: boolean;
  /** the name rule of the kind: a DNS-1123 subdomain for most, a label for Namespace and Service */
  nameCheck: (v: string) => string | undefined;
}

export function validateLabels(labels: unknown, path: string): Causes {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [invalid(path, labels, 'must be a map of string to string')];
  const out: Causes = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    out.push(...checkName(path, k, isQualifiedName));
    if (typeof v !== 'string') out.push(invalid(`${path}[${k}]`, v, 'must be a string'));
    else out.push(...checkName(path, v, isValidLabelValue));
  }
  return out;
}

export function validateAnnotations(ann: unknown, path: string): Causes {
  if (ann === undefined || ann === null) return [];
  if (typeof ann !== 'object' || Array.isArray(ann)) return [invalid(path, ann, 'must be a map of string to string')];
  const out: Causes = [];
  let size = 0;
  for (const [k, v] of Object.entries(ann as Record<string, unknown>)) {
    // annotation keys are qualified names, but Kubernetes lower-cases them before checking
    out.push(...checkName(path, k.toLowerCase(), isQualifiedName));
    size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : String(v));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) out.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return out;
}

function validateOwnerReferences(refs: unknown, path: string): Causes {
  if (!Array.isArray(refs)) return [];
  const out: Causes = [];
  let controllers = 0;
  refs.forEach((r: any, i: number) => {
    const p = `${path}[${i}]`;
    if (!r?.apiVersion) out.push(invalid(`${p}.apiVersion`, r?.apiVersion ?? '', 'version must not be empty'));
    if (!r?.kind) out.push(invalid(`${p}.kind`, r?.kind ?? '', 'kind must not be empty'));
    if (!r?.name) out.push(invalid(`${p}.name`, r?.name ?? '', 'name must not be empty'));
    if (!r?.uid) out.push(invalid(`${p}.uid`, r?.uid ?? '', 'uid must not be empty'));
    if (r?.controller) controllers++;
  });
  if (controllers > 1) {
    out.push(invalid(path, refs.length, 'Only one reference can have Controller set to true'));
  }
  return out;
}

/** Metadata of a new object. The registry has already turned generateName into name. */
export function validateObjectMeta(meta: ObjectMeta | undefined, rules: MetaRules, path = 'metadata'): Causes {
  const m = meta ?? {};
  const out: Causes = [];
  if (!m.name) {
    out.push(required(`${path}.name`, 'name or generateName is required'));
  } else {
    out.push(...checkName(`${path}.name`, m.name, rules.nameCheck));
  }
  if (m.generateName) {
    // generateName is a prefix: only the characters matter, not the trailing '-'
    const err = rules.nameCheck(m.generateName.replace(/-+$/, '') || 'a');
    if (err) out.push(invalid(`${path}.generateName`, m.generateName, err));
  }
  if (rules.namespaced) {
    if (m.namespace) out.push(...checkName(`${path}.namespace`, m.namespace, isDns1123Label));
  } else if (m.namespace) {
    out.push(forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  out.push(...validateLabels(m.labels, `${path}.labels`));
  out.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  out.push(...validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`));
  if (Array.isArray(m.finalizers)) {
    m.finalizers.forEach((f, i) => out.push(...checkName(`${path}.finalizers[${i}]`, String(f), isQualifiedName)));
  }
  return out;
}

export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, rules: MetaRules): Causes {
  const m = meta ?? {};
  const o = old ?? {};
  const out = validateObjectMeta(m, rules);
  if (o.name && m.name !== o.name) out.push(invalid('metadata.name', m.name ?? '', IMMUTABLE));
  if (o.namespace && m.namespace && m.namespace !== o.namespace) {
    out.push(invalid('metadata.namespace', m.namespace, IMMUTABLE));
  }
  if (o.uid && m.uid && m.uid !== o.uid) out.push(invalid('metadata.uid', m.uid, IMMUTABLE));
  return out;
}

/** Template metadata (pod templates): labels and annotations only, no name rules. */
export function validateTemplateMeta(meta: ObjectMeta | undefined, path: string): Causes {
  const m = meta ?? {};
  return [...validateLabels(m.labels, `${path}.labels`), ...validateAnnotations(m.annotations, `${path}.annotations`)];
}

export const subdomainRules = (namespaced: boolean): MetaRules => ({ namespaced, nameCheck: isDns1123Subdomain });
export const labelRules = (namespaced: boolean): MetaRules => ({ namespaced, nameCheck: isDns1123Label });
