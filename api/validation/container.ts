// One container of a pod spec: name, image, ports, env, mounts, resources, probes, security.
import { isDns1123Label, isEnvVarName, isIanaSvcName, isConfigMapKey } from '../names.js';
import {
  checkName,
  duplicate,
  invalid,
  isObj,
  nonNegative,
  notFound,
  notSupported,
  oneOf,
  portNumber,
  required,
  type Causes,
} from './field.js';
import { validateLifecycle, validateProbe } from './probes.js';
import { validateResourceRequirements } from './resources.js';

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const FIELD_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

export type ContainerKind = 'container' | 'init';

function validatePorts(ports: unknown, path: string): Causes {
  if (ports === undefined || ports === null) return [];
  if (!Array.isArray(ports)) return [invalid(path, ports, 'must be a list')];
  const out: Causes = [];
  const names = new Set<string>();
  ports.forEach((p: any, i: number) => {
    const ip = `${path}[${i}]`;
    if (p?.name) {
      out.push(...checkName(`${ip}.name`, p.name, isIanaSvcName));
      if (names.has(p.name)) out.push(duplicate(`${ip}.name`, p.name));
      names.add(p.name);
    }
    if (p?.containerPort === undefined || p?.containerPort === 0) out.push(required(`${ip}.containerPort`));
    else out.push(...portNumber(`${ip}.containerPort`, p.containerPort));
    if (p?.hostPort !== undefined && p.hostPort !== 0) out.push(...portNumber(`${ip}.hostPort`, p.hostPort));
    out.push(...oneOf(`${ip}.protocol`, p?.protocol, PROTOCOLS, true));
  });
  return out;
}

function validateValueFrom(vf: Record<string, any>, path: string): Causes {
  const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => isObj(vf[k]));
  if (sources.length === 0) {
    return [invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`')];
  }
  if (sources.length > 1) return [invalid(path, '', 'may not have more than one field specified at a time')];
  const out: Causes = [];
  const src = sources[0];
  const ref = vf[src];
  if (src === 'fieldRef') {
    if (!ref.fieldPath) out.push(required(`${path}.fieldRef.fieldPath`));
    else {
      const base = String(ref.fieldPath).replace(/\[.*\]$/, '');
      if (!FIELD_PATHS.includes(base)) out.push(notSupported(`${path}.fieldRef.fieldPath`, ref.fieldPath, FIELD_PATHS));
    }
  } else if (src === 'resourceFieldRef') {
    if (!ref.resource) out.push(required(`${path}.resourceFieldRef.resource`));
  } else {
    if (!ref.key) out.push(required(`${path}.${src}.key`));
    else out.push(...checkName(`${path}.${src}.key`, ref.key, isConfigMapKey));
  }
  return out;
}

function validateEnv(env: unknown, path: string): Causes {
  if (env === undefined || env === null) return [];
  if (!Array.isArray(env)) return [invalid(path, env, 'must be a list')];
  const out: Causes = [];
  env.forEach((e: any, i: number) => {
    const ep = `${path}[${i}]`;
    if (!e?.name) out.push(required(`${ep}.name`));
    else out.push(...checkName(`${ep}.name`, e.name, isEnvVarName));
    if (isObj(e?.valueFrom)) {
      if (e.value) out.push(invalid(`${ep}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      out.push(...validateValueFrom(e.valueFrom, `${ep}.valueFrom`));
    }
  });
  return out;
}

function validateEnvFrom(envFrom: unknown, path: string): Causes {
  if (!Array.isArray(envFrom)) return [];
  const out: Causes = [];
  envFrom.forEach((e: any, i: number) => {
    const ep = `${path}[${i}]`;
    if (e?.prefix) out.push(...checkName(`${ep}.prefix`, e.prefix, isEnvVarName));
    const n = ['configMapRef', 'secretRef'].filter((k) => isObj(e?.[k])).length;
    if (n === 0) out.push(invalid(ep, '', 'must specify one of: `configMapRef` or `secretRef`'));
    if (n > 1) out.push(invalid(ep, '', 'may not have more than one field specified at a time'));
  });
  return out;
}

function validateMounts(mounts: unknown, path: string, volumes: Set<string>): Causes {
  if (mounts === undefined || mounts === null) return [];
  if (!Array.isArray(mounts)) return [invalid(path, mounts, 'must be a list')];
  const out: Causes = [];
  const paths = new Set<string>();
  mounts.forEach((m: any, i: number) => {
    const mp = `${path}[${i}]`;
    if (!m?.name) out.push(required(`${mp}.name`));
    else if (!volumes.has(m.name)) out.push(notFound(`${mp}.name`, m.name));
    if (!m?.mountPath) out.push(required(`${mp}.mountPath`));
    else {
      if (paths.has(m.mountPath)) out.push(invalid(`${mp}.mountPath`, m.mountPath, 'must be unique'));
      paths.add(m.mountPath);
    }
    if (m?.subPath && (String(m.subPath).startsWith('/') || String(m.subPath).split('/').includes('..'))) {
      out.push(invalid(`${mp}.subPath`, m.subPath, "must be a relative path without '..'"));
    }
  });
  return out;
}

function validateSecurityContext(sc: unknown, path: string): Causes {
  if (sc === undefined || sc === null) return [];
  if (!isObj(sc)) return [invalid(path, sc, 'must be an object')];
  const out = [...nonNegative(`${path}.runAsUser`, sc.runAsUser), ...nonNegative(`${path}.runAsGroup`, sc.runAsGroup)];
  if (sc.privileged === true && sc.allowPrivilegeEscalation === false) {
    out.push(invalid(path, '', 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
  }
  if (sc.runAsNonRoot === true && sc.runAsUser === 0) {
    out.push(invalid(`${path}.runAsNonRoot`, true, 'must be false when runAsUser is 0'));
  }
  return out;
}

/** Everything about one container except uniqueness of its name across the pod. */
export function validateContainer(c: any, path: string, volumes: Set<string>, kind: ContainerKind): Causes {
  if (!isObj(c)) return [invalid(path, c, 'must be an object')];
  const out: Causes = [];
  if (!c.name) out.push(required(`${path}.name`));
  else out.push(...checkName(`${path}.name`, c.name, isDns1123Label));
  if (!c.image || (typeof c.image === 'string' && c.image.trim() === '')) out.push(required(`${path}.image`));
  else if (typeof c.image === 'string' && c.image.trim() !== c.image) {
    out.push(invalid(`${path}.image`, c.image, 'must not have leading or trailing whitespace'));
  }
  out.push(...validatePorts(c.ports, `${path}.ports`));
  out.push(...validateEnv(c.env, `${path}.env`));
  out.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  out.push(...validateMounts(c.volumeMounts, `${path}.volumeMounts`, volumes));
  out.push(...validateResourceRequirements(c.resources, `${path}.resources`));
  out.push(...oneOf(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  out.push(...oneOf(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, MESSAGE_POLICIES));
  if (kind === 'init') {
    out.push(...oneOf(`${path}.restartPolicy`, c.restartPolicy, ['Always']));
    // plain init containers run to completion: only sidecars (restartPolicy Always) may probe
    if (c.restartPolicy !== 'Always') {
      for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[p] !== undefined && c[p] !== null) out.push(invalid(`${path}.${p}`, '', 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  } else if (c.restartPolicy !== undefined) {
    out.push(invalid(`${path}.restartPolicy`, c.restartPolicy, 'may not be set for non-init containers'));
  }
  out.push(...validateProbe(c.livenessProbe, `${path}.livenessProbe`, 'liveness'));
  out.push(...validateProbe(c.readinessProbe, `${path}.readinessProbe`, 'readiness'));
  out.push(...validateProbe(c.startupProbe, `${path}.startupProbe`, 'startup'));
  out.push(...validateLifecycle(c.lifecycle, `${path}.lifecycle`));
  out.push(...validateSecurityContext(c.securityContext, `${path}.securityContext`));
  if (c.workingDir !== undefined && typeof c.workingDir !== 'string') out.push(invalid(`${path}.workingDir`, c.workingDir, 'must be a string'));
  return out;
}
