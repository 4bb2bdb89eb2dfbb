// Pods: a valid spec at create; at update the spec is frozen except a handful of fields.
import type { KubeObject } from '../types.js';
import { clone, forbidden, invalid, isObj, semanticEqual, type Causes } from './field.js';
import { subdomainRules, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { validatePodSpec } from './pod-spec.js';

const MAX_INT32 = 2147483647;

export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export function validatePod(pod: KubeObject): Causes {
  return [...validateObjectMeta(pod.metadata, subdomainRules(true)), ...validatePodSpec(pod.spec, 'spec')];
}

function validateActiveDeadline(n: any, o: any): Causes {
  const path = 'spec.activeDeadlineSeconds';
  const nv = n?.activeDeadlineSeconds;
  const ov = o?.activeDeadlineSeconds;
  if (nv !== undefined && nv !== null) {
    if (typeof nv !== 'number' || nv < 0 || nv > MAX_INT32) return [invalid(path, nv, `must be between 0 and ${MAX_INT32}, inclusive`)];
    if (typeof ov === 'number' && ov < nv) return [invalid(path, nv, 'must be less than or equal to previous value')];
  } else if (ov !== undefined && ov !== null) {
    return [invalid(path, null, 'must not update from a positive integer to nil value')];
  }
  return [];
}

function validateOnlyAddedTolerations(n: unknown, o: unknown): Causes {
  const newTols = Array.isArray(n) ? n : [];
  const oldTols = Array.isArray(o) ? o : [];
  for (const old of oldTols) {
    const found = newTols.some((t: any) => semanticEqual({ ...old, tolerationSeconds: t?.tolerationSeconds }, t));
    if (!found) return [forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

/** Copy the mutable fields of the old spec into a clone of the new one; what differs then is forbidden. */
function maskMutable(newSpec: any, oldSpec: any): any {
  const m = clone(newSpec) ?? {};
  for (const list of ['containers', 'initContainers']) {
    const nl = m[list];
    const ol = oldSpec?.[list];
    if (Array.isArray(nl) && Array.isArray(ol) && nl.length === ol.length) {
      nl.forEach((c: any, i: number) => {
        if (isObj(c) && isObj(ol[i])) c.image = ol[i].image;
      });
    }
  }
  m.activeDeadlineSeconds = oldSpec?.activeDeadlineSeconds;
  m.tolerations = oldSpec?.tolerations;
  if (typeof oldSpec?.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0) {
    m.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  // binding sets nodeName once; after that it is as frozen as the rest
  if (!oldSpec?.nodeName) m.nodeName = oldSpec?.nodeName;
  return m;
}

export function validatePodUpdate(pod: KubeObject, old: KubeObject): Causes {
  const out = [...validateObjectMetaUpdate(pod.metadata, old.metadata, subdomainRules(true)), ...validatePodSpec(pod.spec, 'spec')];
  out.push(...validateActiveDeadline(pod.spec, old.spec));
  out.push(...validateOnlyAddedTolerations(pod.spec?.tolerations, old.spec?.tolerations));
  if (!semanticEqual(maskMutable(pod.spec, old.spec), old.spec)) out.push(forbidden('spec', POD_UPDATE_FORBIDDEN));
  return out;
}
