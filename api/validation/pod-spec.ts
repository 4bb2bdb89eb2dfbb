// A PodSpec, wherever it appears: pods, and the templates of workloads (paths then start with
// spec.template.spec). Checks run on defaulted specs, so enums are required here.
import { isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidIp, isValidLabelValue } from '../names.js';
import { validateContainer } from './container.js';
import {
  checkName,
  duplicate,
  invalid,
  isObj,
  nonNegative,
  notSupported,
  oneOf,
  required,
  type Causes,
} from './field.js';
import { validateLabels } from './meta.js';
import { validateVolumes } from './volumes.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;

export function validateTolerations(tols: unknown, path: string): Causes {
  if (tols === undefined || tols === null) return [];
  if (!Array.isArray(tols)) return [invalid(path, tols, 'must be a list')];
  const out: Causes = [];
  tols.forEach((t: any, i: number) => {
    const tp = `${path}[${i}]`;
    if (t?.key) out.push(...checkName(`${tp}.key`, t.key, isQualifiedName));
    const op = t?.operator ?? 'Equal';
    if (!t?.key && op !== 'Exists') {
      out.push(invalid(`${tp}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t?.tolerationSeconds !== undefined && t?.tolerationSeconds !== null && t?.effect !== 'NoExecute') {
      out.push(invalid(`${tp}.effect`, t?.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === 'Exists') {
      if (t?.value) out.push(invalid(`${tp}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    } else if (op === 'Equal') {
      if (t?.value) out.push(...checkName(`${tp}.value`, String(t.value), isValidLabelValue));
    } else {
      out.push(notSupported(`${tp}.operator`, op, TOLERATION_OPERATORS));
    }
    if (t?.effect) out.push(...oneOf(`${tp}.effect`, t.effect, TAINT_EFFECTS));
  });
  return out;
}

function validateHostAliases(aliases: unknown, path: string): Causes {
  if (!Array.isArray(aliases)) return [];
  const out: Causes = [];
  aliases.forEach((a: any, i: number) => {
    const ap = `${path}[${i}]`;
    if (!a?.ip || !isValidIp(String(a.ip))) {
      out.push(invalid(`${ap}.ip`, a?.ip ?? '', 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    }
    (Array.isArray(a?.hostnames) ? a.hostnames : []).forEach((h: unknown, j: number) => {
      out.push(...checkName(`${ap}.hostnames[${j}]`, String(h), isDns1123Subdomain));
    });
  });
  return out;
}

function validatePodSecurityContext(sc: unknown, path: string): Causes {
  if (sc === undefined || sc === null) return [];
  if (!isObj(sc)) return [invalid(path, sc, 'must be an object')];
  const out = [
    ...nonNegative(`${path}.runAsUser`, sc.runAsUser),
    ...nonNegative(`${path}.runAsGroup`, sc.runAsGroup),
    ...nonNegative(`${path}.fsGroup`, sc.fsGroup),
  ];
  (Array.isArray(sc.supplementalGroups) ? sc.supplementalGroups : []).forEach((g: unknown, i: number) => {
    out.push(...nonNegative(`${path}.supplementalGroups[${i}]`, g));
  });
  return out;
}

function validateContainerList(list: unknown, path: string, vols: Set<string>, kind: 'container' | 'init', seen: Set<string>): Causes {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return [invalid(path, list, 'must be a list')];
  const out: Causes = [];
  list.forEach((c: any, i: number) => {
    const cp = `${path}[${i}]`;
    out.push(...validateContainer(c, cp, vols, kind));
    if (c?.name) {
      if (seen.has(c.name)) out.push(duplicate(`${cp}.name`, c.name));
      seen.add(c.name);
    }
  });
  return out;
}

export function validatePodSpec(spec: unknown, path: string): Causes {
  if (!isObj(spec)) return [required(path)];
  const out: Causes = [];
  const vols = validateVolumes(spec.volumes, `${path}.volumes`);
  out.push(...vols.causes);
  const seen = new Set<string>();
  // init containers first: Kubernetes reports a clash on the app container's path
  out.push(...validateContainerList(spec.initContainers, `${path}.initContainers`, vols.names, 'init', seen));
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) out.push(required(`${path}.containers`));
  else out.push(...validateContainerList(spec.containers, `${path}.containers`, vols.names, 'container', seen));
  out.push(...oneOf(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES, true));
  out.push(...oneOf(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES, true));
  if (spec.dnsPolicy === 'None' && !(Array.isArray(spec.dnsConfig?.nameservers) && spec.dnsConfig.nameservers.length > 0)) {
    out.push(required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  out.push(...nonNegative(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds));
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null && (typeof ads !== 'number' || !Number.isInteger(ads) || ads < 1 || ads > MAX_INT32)) {
    out.push(invalid(`${path}.activeDeadlineSeconds`, ads, `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  out.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  out.push(...validateHostAliases(spec.hostAliases, `${path}.hostAliases`));
  out.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  out.push(...validatePodSecurityContext(spec.securityContext, `${path}.securityContext`));
  if (spec.serviceAccountName) out.push(...checkName(`${path}.serviceAccountName`, spec.serviceAccountName, isDns1123Subdomain));
  if (spec.nodeName) out.push(...checkName(`${path}.nodeName`, spec.nodeName, isDns1123Subdomain));
  if (spec.hostname) out.push(...checkName(`${path}.hostname`, spec.hostname, isDns1123Label));
  if (spec.subdomain) out.push(...checkName(`${path}.subdomain`, spec.subdomain, isDns1123Label));
  if (spec.priorityClassName) out.push(...checkName(`${path}.priorityClassName`, spec.priorityClassName, isDns1123Subdomain));
  (Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : []).forEach((s: any, i: number) => {
    if (!s?.name) out.push(required(`${path}.imagePullSecrets[${i}].name`));
  });
  return out;
}
