// Services: ports, type-dependent fields, session affinity; clusterIP frozen once allocated.
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isValidIp } from '../names.js';
import type { KubeObject } from '../types.js';
import { PROTOCOLS } from './container.js';
import {
  checkName,
  duplicate,
  forbidden,
  invalid,
  isObj,
  oneOf,
  portNumber,
  required,
  type Causes,
} from './field.js';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate, type MetaRules } from './meta.js';
import { validatePortNumOrName } from './probes.js';

export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

const SERVICE_META: MetaRules = { namespaced: true, nameCheck: isDns1035Label };

const isHeadless = (spec: any): boolean => spec?.clusterIP === 'None';

function validatePorts(spec: any): Causes {
  const out: Causes = [];
  const ports = spec.ports;
  const type = spec.type ?? 'ClusterIP';
  if (!Array.isArray(ports) || ports.length === 0) {
    if (!isHeadless(spec) && type !== 'ExternalName') out.push(required('spec.ports'));
    return out;
  }
  const requireName = ports.length > 1;
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p: any, i: number) => {
    const pp = `spec.ports[${i}]`;
    if (!p?.name) {
      if (requireName) out.push(required(`${pp}.name`));
    } else {
      out.push(...checkName(`${pp}.name`, p.name, isDns1123Label));
      if (names.has(p.name)) out.push(duplicate(`${pp}.name`, p.name));
      names.add(p.name);
    }
    out.push(...portNumber(`${pp}.port`, p?.port));
    out.push(...oneOf(`${pp}.protocol`, p?.protocol, PROTOCOLS, true));
    if (p?.targetPort !== undefined && p?.targetPort !== null && p?.targetPort !== 0 && p?.targetPort !== '') {
      out.push(...validatePortNumOrName(p.targetPort, `${pp}.targetPort`));
    }
    const key = `${p?.port}/${p?.protocol ?? 'TCP'}`;
    if (keys.has(key)) out.push(duplicate(pp, key));
    keys.add(key);
    if (p?.nodePort) {
      if (type === 'ClusterIP' || type === 'ExternalName') {
        out.push(forbidden(`${pp}.nodePort`, `may not be used when \`type\` is '${type}'`));
      } else if (typeof p.nodePort !== 'number' || p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX) {
        out.push(
          invalid(`${pp}.nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`),
        );
      }
    }
  });
  return out;
}

function validateAffinity(spec: any): Causes {
  const out = oneOf('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None'], true);
  const cfg = spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const t = cfg?.clientIP?.timeoutSeconds;
    if (t !== undefined && (typeof t !== 'number' || t <= 0 || t > 86400)) {
      out.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, 'must be greater than 0 and less than 86400'));
    }
  } else if (spec.sessionAffinity === 'None' && isObj(cfg) && Object.keys(cfg).length > 0) {
    out.push(invalid('spec.sessionAffinityConfig', cfg, 'must not be set when session affinity is None'));
  }
  return out;
}

export function validateService(svc: KubeObject): Causes {
  const out = validateObjectMeta(svc.metadata, SERVICE_META);
  const spec = svc.spec;
  if (!isObj(spec)) return [...out, required('spec')];
  out.push(...oneOf('spec.type', spec.type, SERVICE_TYPES, true));
  out.push(...validatePorts(spec));
  out.push(...validateAffinity(spec));
  out.push(...validateLabels(spec.selector, 'spec.selector'));
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) out.push(required('spec.externalName'));
    else out.push(...checkName('spec.externalName', String(spec.externalName).replace(/\.$/, ''), isDns1123Subdomain));
    if (spec.clusterIP && spec.clusterIP !== 'None') {
      out.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
    }
  } else if (spec.clusterIP && spec.clusterIP !== 'None' && !isValidIp(spec.clusterIP)) {
    out.push(invalid('spec.clusterIPs[0]', spec.clusterIP, "must be empty, 'None', or a valid IP address"));
  }
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  if (spec.externalTrafficPolicy) {
    if (!external) out.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set when `type` is \'NodePort\' or \'LoadBalancer\''));
    else out.push(...oneOf('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
  }
  out.push(...oneOf('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']));
  out.push(...oneOf('spec.ipFamilyPolicy', spec.ipFamilyPolicy, ['SingleStack', 'PreferDualStack', 'RequireDualStack']));
  (Array.isArray(spec.ipFamilies) ? spec.ipFamilies : []).forEach((f: unknown, i: number) => {
    out.push(...oneOf(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
  });
  (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).forEach((ip: unknown, i: number) => {
    if (!isValidIp(String(ip))) out.push(invalid(`spec.externalIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  return out;
}

export function validateServiceUpdate(svc: KubeObject, old: KubeObject): Causes {
  const out = [...validateObjectMetaUpdate(svc.metadata, old.metadata, SERVICE_META), ...validateService(svc).filter((c) => !c.field.startsWith('metadata'))];
  const oldIP = old.spec?.clusterIP;
  const newIP = svc.spec?.clusterIP;
  // ExternalName services have no IP to keep; an empty new value means "keep what was allocated"
  const touchesExternalName = old.spec?.type === 'ExternalName' || svc.spec?.type === 'ExternalName';
  if (!touchesExternalName && oldIP && newIP && newIP !== oldIP) {
    out.push(invalid('spec.clusterIPs[0]', [newIP], 'may not change once set'));
  }
  return out;
}
