// The smaller kinds: metadata plus the few field rules clients actually trip over.
import { isApiError } from '../../lib/errors.js';
import { isDns1123Subdomain, isQualifiedName, isValidIp, isValidIpv4, isValidIpv6 } from '../names.js';
import { labelSelectorFromObject } from '../selectors.js';
import { quantityError } from '../quantity.js';
import type { KubeObject } from '../types.js';
import { PROTOCOLS } from './container.js';
import {
  checkName, invalid, isObj, nonNegative, oneOf, portNumber, positive, required, semanticEqual, IMMUTABLE, type Causes,
} from './field.js';
import { labelRules, subdomainRules, validateObjectMeta } from './meta.js';
import { selectorValue, validateIntOrPercent } from './template.js';

export function validateNamespace(ns: KubeObject): Causes {
  const out = validateObjectMeta(ns.metadata, labelRules(false));
  (Array.isArray(ns.spec?.finalizers) ? ns.spec.finalizers : []).forEach((f: unknown, i: number) => {
    out.push(...checkName(`spec.finalizers[${i}]`, String(f), isQualifiedName));
  });
  return out;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateNode(n: KubeObject): Causes {
  const out = validateObjectMeta(n.metadata, subdomainRules(false));
  const spec = n.spec ?? {};
  (Array.isArray(spec.taints) ? spec.taints : []).forEach((t: any, i: number) => {
    const p = `spec.taints[${i}]`;
    if (!t?.key) out.push(required(`${p}.key`));
    else out.push(...checkName(`${p}.key`, t.key, isQualifiedName));
    out.push(...oneOf(`${p}.effect`, t?.effect, TAINT_EFFECTS, true));
  });
  if (spec.podCIDR && !/^[0-9a-fA-F.:]+\/[0-9]{1,3}$/.test(spec.podCIDR)) {
    out.push(invalid('spec.podCIDR', spec.podCIDR, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  }
  return out;
}

export function validateEvent(ev: KubeObject): Causes {
  const out = validateObjectMeta(ev.metadata, subdomainRules(true));
  const io = ev.involvedObject;
  if (!isObj(io)) return [...out, required('involvedObject')];
  if (io.namespace && ev.metadata?.namespace && io.namespace !== ev.metadata.namespace) {
    out.push(invalid('involvedObject.namespace', io.namespace, 'does not match event.namespace'));
  }
  out.push(...oneOf('type', ev.type, ['Normal', 'Warning']));
  return out;
}

export function validateLease(l: KubeObject): Causes {
  const spec = l.spec ?? {};
  return [
    ...validateObjectMeta(l.metadata, subdomainRules(true)),
    ...positive('spec.leaseDurationSeconds', spec.leaseDurationSeconds),
    ...nonNegative('spec.leaseTransitions', spec.leaseTransitions),
  ];
}

const ADDRESS_CHECK: Record<string, (a: string) => boolean> = {
  IPv4: isValidIpv4,
  IPv6: isValidIpv6,
  FQDN: (a) => !isDns1123Subdomain(a),
};

function validateEndpointPorts(ports: unknown, path: string): Causes {
  const out: Causes = [];
  (Array.isArray(ports) ? ports : []).forEach((p: any, i: number) => {
    const pp = `${path}[${i}]`;
    if (p?.port !== undefined && p?.port !== null) out.push(...portNumber(`${pp}.port`, p.port));
    out.push(...oneOf(`${pp}.protocol`, p?.protocol, PROTOCOLS));
  });
  return out;
}

export function validateEndpointSlice(es: KubeObject): Causes {
  const out = validateObjectMeta(es.metadata, subdomainRules(true));
  const type = es.addressType;
  out.push(...oneOf('addressType', type, ['IPv4', 'IPv6', 'FQDN'], true));
  const check = ADDRESS_CHECK[type as string];
  (Array.isArray(es.endpoints) ? es.endpoints : []).forEach((e: any, i: number) => {
    const p = `endpoints[${i}].addresses`;
    const addrs = Array.isArray(e?.addresses) ? e.addresses : [];
    if (addrs.length === 0) out.push(required(p, 'must contain at least 1 address'));
    if (addrs.length > 100) out.push(invalid(p, addrs.length, 'must have at most 100 items'));
    addrs.forEach((a: unknown, j: number) => {
      if (check && !check(String(a))) out.push(invalid(`${p}[${j}]`, a, `must be a valid ${type} address`));
    });
  });
  out.push(...validateEndpointPorts(es.ports, 'ports'));
  return out;
}

export function validateEndpoints(ep: KubeObject): Causes {
  const out = validateObjectMeta(ep.metadata, subdomainRules(true));
  (Array.isArray(ep.subsets) ? ep.subsets : []).forEach((s: any, i: number) => {
    for (const kind of ['addresses', 'notReadyAddresses']) {
      (Array.isArray(s?.[kind]) ? s[kind] : []).forEach((a: any, j: number) => {
        if (!a?.ip || !isValidIp(String(a.ip))) {
          out.push(invalid(`subsets[${i}].${kind}[${j}].ip`, a?.ip ?? '', 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
        }
      });
    }
    out.push(...validateEndpointPorts(s?.ports, `subsets[${i}].ports`));
  });
  return out;
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function validateAccessModes(modes: unknown, path: string): Causes {
  if (!Array.isArray(modes) || modes.length === 0) return [required(path, 'at least 1 access mode is required')];
  return modes.flatMap((m: unknown) => oneOf(path, m, ACCESS_MODES));
}

function validateStorage(q: unknown, path: string): Causes {
  if (q === undefined || q === null) return [required(path)];
  const err = quantityError(q);
  return err ? [invalid(path, q, err)] : [];
}

export function validatePvc(pvc: KubeObject): Causes {
  const spec = pvc.spec ?? {};
  return [
    ...validateObjectMeta(pvc.metadata, subdomainRules(true)),
    ...validateAccessModes(spec.accessModes, 'spec.accessModes'),
    ...validateStorage(spec.resources?.requests?.storage, 'spec.resources[storage]'),
    ...oneOf('spec.volumeMode', spec.volumeMode, ['Block', 'Filesystem']),
  ];
}

export function validatePv(pv: KubeObject): Causes {
  const spec = pv.spec ?? {};
  return [
    ...validateObjectMeta(pv.metadata, subdomainRules(false)),
    ...validateAccessModes(spec.accessModes, 'spec.accessModes'),
    ...validateStorage(spec.capacity?.storage, 'spec.capacity[storage]'),
    ...oneOf('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, ['Delete', 'Recycle', 'Retain']),
    ...oneOf('spec.volumeMode', spec.volumeMode, ['Block', 'Filesystem']),
  ];
}

export function validatePdb(pdb: KubeObject): Causes {
  const spec = pdb.spec ?? {};
  const out = validateObjectMeta(pdb.metadata, subdomainRules(true));
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    out.push(invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  out.push(...validateIntOrPercent(spec.minAvailable, 'spec.minAvailable').causes);
  out.push(...validateIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable').causes);
  try {
    labelSelectorFromObject(spec.selector);
  } catch (e) {
    if (!isApiError(e)) throw e;
    out.push({ reason: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: ${selectorValue(spec.selector)}: ${e.message}` });
  }
  out.push(...oneOf('spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, ['IfHealthyBudget', 'AlwaysAllow']));
  return out;
}

export function validateControllerRevision(cr: KubeObject): Causes {
  return [...validateObjectMeta(cr.metadata, subdomainRules(true)), ...nonNegative('revision', cr.revision)];
}

export function validateControllerRevisionUpdate(cr: KubeObject, old: KubeObject): Causes {
  const out = validateControllerRevision(cr);
  if (!semanticEqual(cr.data, old.data)) out.push(invalid('data', '', IMMUTABLE));
  return out;
}

export function validateEndpointSliceUpdate(es: KubeObject, old: KubeObject): Causes {
  const out = validateEndpointSlice(es);
  if (es.addressType !== old.addressType) out.push(invalid('addressType', es.addressType, IMMUTABLE));
  return out;
}
