// ConfigMap and Secret: key names, size limits, typed secrets, immutability.
import { isConfigMapKey } from '../names.js';
import type { KubeObject } from '../types.js';
import { checkName, forbidden, invalid, isObj, required, semanticEqual, tooLong, IMMUTABLE, type Causes } from './field.js';
import { subdomainRules, validateObjectMeta } from './meta.js';

export const MAX_DATA_SIZE = 1024 * 1024;

// A protobuf-decoded body may still carry raw bytes; those are valid by construction.
const isBase64 = (s: unknown): boolean =>
  s instanceof Uint8Array ||
  (typeof s === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(s.replace(/\s/g, '')) && s.replace(/\s/g, '').length % 4 === 0);
const b64Len = (s: unknown): number => (s instanceof Uint8Array ? s.length : Buffer.from(String(s), 'base64').length);

function validateKeys(map: unknown, path: string): Causes {
  if (map === undefined || map === null) return [];
  if (!isObj(map)) return [invalid(path, map, 'must be a map')];
  const out: Causes = [];
  for (const k of Object.keys(map)) out.push(...checkName(`${path}[${k}]`, k, isConfigMapKey));
  return out;
}

export function validateConfigMap(cm: KubeObject): Causes {
  const out = validateObjectMeta(cm.metadata, subdomainRules(true));
  out.push(...validateKeys(cm.data, 'data'), ...validateKeys(cm.binaryData, 'binaryData'));
  let size = 0;
  for (const [k, v] of Object.entries(isObj(cm.data) ? cm.data : {})) {
    if (typeof v !== 'string') out.push(invalid(`data[${k}]`, v, 'must be a string'));
    else size += Buffer.byteLength(v);
    if (isObj(cm.binaryData) && k in cm.binaryData) out.push(invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
  }
  for (const [k, v] of Object.entries(isObj(cm.binaryData) ? cm.binaryData : {})) {
    if (!isBase64(v)) out.push(invalid(`binaryData[${k}]`, '<binary>', 'must be base64-encoded'));
    else size += b64Len(v);
  }
  if (size > MAX_DATA_SIZE) out.push(tooLong('', MAX_DATA_SIZE));
  return out;
}

/** Keys a typed secret must carry. */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export function validateSecret(s: KubeObject): Causes {
  const out = validateObjectMeta(s.metadata, subdomainRules(true));
  const data: Record<string, unknown> = isObj(s.data) ? s.data : {};
  out.push(...validateKeys(s.data, 'data'), ...validateKeys(s.stringData, 'stringData'));
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    if (!isBase64(v)) out.push(invalid(`data[${k}]`, '<secret contents redacted>', 'must be base64-encoded'));
    else size += b64Len(v);
  }
  if (size > MAX_DATA_SIZE) out.push(tooLong('data', MAX_DATA_SIZE));
  const type = s.type ?? 'Opaque';
  if (typeof type !== 'string' || type === '') out.push(required('type'));
  for (const key of REQUIRED_KEYS[type] ?? []) if (!(key in data)) out.push(required(`data[${key}]`));
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    out.push(required('data[username]', 'either username or password is required'));
  }
  if (type === 'kubernetes.io/service-account-token' && !s.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    out.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (type === 'kubernetes.io/dockerconfigjson' && typeof data['.dockerconfigjson'] === 'string') {
    try {
      JSON.parse(Buffer.from(data['.dockerconfigjson'] as string, 'base64').toString('utf8'));
    } catch (e) {
      out.push(invalid('data[.dockerconfigjson]', '<secret contents redacted>', (e as Error).message));
    }
  }
  return out;
}

/** `immutable: true` freezes data (and itself) for both kinds. */
export function validateConfigUpdate(obj: KubeObject, old: KubeObject, kind: 'ConfigMap' | 'Secret'): Causes {
  const out = kind === 'ConfigMap' ? validateConfigMap(obj) : validateSecret(obj);
  if (old.immutable === true) {
    if (obj.immutable !== true) out.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!semanticEqual(obj.data, old.data)) out.push(forbidden('data', 'field is immutable when `immutable` is set'));
    if (kind === 'ConfigMap' && !semanticEqual(obj.binaryData, old.binaryData)) {
      out.push(forbidden('binaryData', 'field is immutable when `immutable` is set'));
    }
  }
  if (kind === 'Secret' && (obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) out.push(invalid('type', obj.type, IMMUTABLE));
  return out;
}
