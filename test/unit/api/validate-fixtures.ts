// Builders shared by the validation tests.
import { resourceForKind } from '../../../api/resources.js';
import { validateCreate, validateUpdate, applyDefaults } from '../../../api/validate.js';
import type { KubeObject } from '../../../api/types.js';
export const GV: Record<string, string> = {
  Deployment: 'apps/v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', ControllerRevision: 'apps/v1',
  Job: 'batch/v1', CronJob: 'batch/v1', Lease: 'coordination.k8s.io/v1', EndpointSlice: 'discovery.k8s.io/v1',
  PodDisruptionBudget: 'policy/v1',
};
export const ri = (kind: string) => resourceForKind(GV[kind] ?? 'v1', kind)!;

export const obj = (kind: string, rest: Record<string, any>, meta: Record<string, any> = {}): KubeObject => {
  const namespaced = ri(kind).namespaced;
  return { apiVersion: GV[kind] ?? 'v1', kind, metadata: { name: 'x', ...(namespaced ? { namespace: 'default' } : {}), ...meta }, ...rest };
};
/** "field: message" lines, the way kubectl prints them. */
export const errs = (o: KubeObject): string[] => validateCreate(ri(o.kind!), o).map((c) => `${c.field}: ${c.message}`);
export const reasons = (o: KubeObject): string[] => validateCreate(ri(o.kind!), o).map((c) => `${c.field} ${c.reason}`);
export const updErrs = (o: KubeObject, old: KubeObject): string[] => {
  applyDefaults(ri(o.kind!), old);
  applyDefaults(ri(o.kind!), o);
  return validateUpdate(ri(o.kind!), o, old).map((c) => `${c.field}: ${c.message}`);
};

export const container = (over: Record<string, any> = {}) => ({ name: 'app', image: 'busybox', ...over });
export const pod = (spec: Record<string, any> = {}, meta: Record<string, any> = {}) =>
  obj('Pod', { spec: { containers: [container()], ...spec } }, meta);
export const template = (labels = { app: 'web' }, spec: Record<string, any> = {}) => ({
  metadata: { labels },
  spec: { containers: [container()], ...spec },
});
export const deployment = (spec: Record<string, any> = {}) =>
  obj('Deployment', { spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...spec } });

