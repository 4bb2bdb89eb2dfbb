// apps/v1 workloads: Deployment, ReplicaSet, StatefulSet, DaemonSet.
import type { KubeObject } from '../types.js';
import { forbidden, invalid, isObj, nonNegative, oneOf, semanticEqual, IMMUTABLE, type Causes } from './field.js';
import { subdomainRules, validateObjectMeta } from './meta.js';
import { selectorValue, validateRollingParams, validateSelectorAndTemplate } from './template.js';

const ALWAYS = ['Always'];

function common(obj: KubeObject, what: string): Causes {
  const spec = obj.spec ?? {};
  return [
    ...validateObjectMeta(obj.metadata, subdomainRules(true)),
    ...nonNegative('spec.replicas', spec.replicas),
    ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit),
    ...validateSelectorAndTemplate(spec, { restartPolicies: ALWAYS, what }),
  ];
}

function templateActiveDeadline(spec: any): Causes {
  const ads = spec?.template?.spec?.activeDeadlineSeconds;
  return ads !== undefined && ads !== null ? [forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicaSet is not Supported')] : [];
}

export function validateDeployment(d: KubeObject): Causes {
  const spec = d.spec ?? {};
  const out = [...common(d, 'deployment'), ...templateActiveDeadline(spec)];
  const st = spec.strategy ?? {};
  out.push(...oneOf('spec.strategy.type', st.type, ['Recreate', 'RollingUpdate'], true));
  if (st.type === 'Recreate' && st.rollingUpdate) {
    out.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  } else if (st.type === 'RollingUpdate') {
    out.push(...validateRollingParams(st.rollingUpdate, 'spec.strategy.rollingUpdate'));
  }
  const pds = spec.progressDeadlineSeconds;
  out.push(...nonNegative('spec.progressDeadlineSeconds', pds));
  if (typeof pds === 'number' && typeof spec.minReadySeconds === 'number' && pds <= spec.minReadySeconds) {
    out.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return out;
}

export function validateReplicaSet(rs: KubeObject): Causes {
  return [...common(rs, 'replicaset'), ...templateActiveDeadline(rs.spec)];
}

/** The template as the controller will run it: every volumeClaimTemplate becomes a claim volume. */
function withClaimVolumes(s: KubeObject): KubeObject {
  const spec = s.spec;
  const claims = Array.isArray(spec?.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
  if (!isObj(spec?.template?.spec) || claims.length === 0) return s;
  const own = Array.isArray(spec.template.spec.volumes) ? spec.template.spec.volumes : [];
  const names = new Set(own.map((v: { name?: string }) => v?.name));
  const extra = claims
    .map((c: any) => c?.metadata?.name)
    .filter((n: unknown) => typeof n === 'string' && !names.has(n))
    .map((n: string) => ({ name: n, persistentVolumeClaim: { claimName: n } }));
  return { ...s, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, volumes: [...own, ...extra] } } } };
}

export function validateStatefulSet(s: KubeObject): Causes {
  const spec = s.spec ?? {};
  const out = common(withClaimVolumes(s), 'statefulset');
  out.push(...oneOf('spec.podManagementPolicy', spec.podManagementPolicy, ['OrderedReady', 'Parallel'], true));
  const us = spec.updateStrategy ?? {};
  out.push(...oneOf('spec.updateStrategy.type', us.type, ['RollingUpdate', 'OnDelete'], true));
  if (us.type === 'OnDelete' && us.rollingUpdate) {
    out.push(forbidden('spec.updateStrategy.rollingUpdate', "only allowed for updateStrategy 'RollingUpdate'"));
  }
  if (isObj(us.rollingUpdate)) {
    out.push(...nonNegative('spec.updateStrategy.rollingUpdate.partition', us.rollingUpdate.partition));
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (isObj(retention)) {
    out.push(...oneOf('spec.persistentVolumeClaimRetentionPolicy.whenDeleted', retention.whenDeleted, ['Retain', 'Delete']));
    out.push(...oneOf('spec.persistentVolumeClaimRetentionPolicy.whenScaled', retention.whenScaled, ['Retain', 'Delete']));
  }
  return out;
}

export function validateDaemonSet(ds: KubeObject): Causes {
  const spec = ds.spec ?? {};
  const out = [...validateObjectMeta(ds.metadata, subdomainRules(true))];
  out.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  out.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  out.push(...validateSelectorAndTemplate(spec, { restartPolicies: ALWAYS, what: 'daemonset' }));
  const us = spec.updateStrategy ?? {};
  out.push(...oneOf('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate'], true));
  if (us.type === 'RollingUpdate') out.push(...validateRollingParams(us.rollingUpdate, 'spec.updateStrategy.rollingUpdate'));
  return out;
}

/** apps/v1 selectors never change: a new selector would orphan the existing pods. */
export function selectorImmutable(obj: KubeObject, old: KubeObject): Causes {
  if (semanticEqual(obj.spec?.selector, old.spec?.selector)) return [];
  return [{ reason: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: ${selectorValue(obj.spec?.selector ?? {})}: ${IMMUTABLE}` }];
}

const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function statefulSetSpecFrozen(obj: KubeObject, old: KubeObject): Causes {
  const strip = (spec: any): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...(spec ?? {}) };
    for (const k of [...STS_MUTABLE, 'selector']) delete copy[k];
    return copy;
  };
  if (semanticEqual(strip(obj.spec), strip(old.spec))) return [];
  return [
    forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

