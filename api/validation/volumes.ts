// Pod volumes: unique DNS-label names, exactly one source, the per-source required fields.
import { isConfigMapKey, isDns1123Label } from '../names.js';
import { checkName, duplicate, forbidden, invalid, isObj, required, type Causes } from './field.js';

export const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'configMap', 'secret', 'persistentVolumeClaim', 'projected', 'downwardAPI',
  'nfs', 'csi', 'ephemeral', 'image', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'iscsi',
  'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume',
  'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
] as const;

function validateMode(v: unknown, path: string): Causes {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0o777) {
    return [invalid(path, v, 'must be a number between 0 and 0777 (octal), both inclusive')];
  }
  return [];
}

function validateItems(items: unknown, path: string): Causes {
  if (!Array.isArray(items)) return [];
  const out: Causes = [];
  items.forEach((it: any, i: number) => {
    const ip = `${path}[${i}]`;
    if (!it?.key) out.push(required(`${ip}.key`));
    else out.push(...checkName(`${ip}.key`, it.key, isConfigMapKey));
    if (!it?.path) out.push(required(`${ip}.path`));
    else if (String(it.path).startsWith('/')) out.push(invalid(`${ip}.path`, it.path, 'must be a relative path'));
    else if (String(it.path).split('/').includes('..')) out.push(invalid(`${ip}.path`, it.path, "must not contain '..'"));
    out.push(...validateMode(it?.mode, `${ip}.mode`));
  });
  return out;
}

function validateSource(kind: string, src: Record<string, any>, path: string): Causes {
  const out: Causes = [];
  switch (kind) {
    case 'hostPath':
      if (!src.path) out.push(required(`${path}.path`));
      break;
    case 'configMap':
      if (!src.name) out.push(required(`${path}.name`));
      out.push(...validateItems(src.items, `${path}.items`), ...validateMode(src.defaultMode, `${path}.defaultMode`));
      break;
    case 'secret':
      if (!src.secretName) out.push(required(`${path}.secretName`));
      out.push(...validateItems(src.items, `${path}.items`), ...validateMode(src.defaultMode, `${path}.defaultMode`));
      break;
    case 'persistentVolumeClaim':
      if (!src.claimName) out.push(required(`${path}.claimName`));
      break;
    case 'nfs':
      if (!src.server) out.push(required(`${path}.server`));
      if (!src.path) out.push(required(`${path}.path`));
      break;
    case 'emptyDir':
      if (src.medium !== undefined && !['', 'Memory', 'HugePages'].includes(src.medium)) {
        out.push(invalid(`${path}.medium`, src.medium, 'must be "", "Memory" or "HugePages"'));
      }
      break;
    case 'projected':
      out.push(...validateMode(src.defaultMode, `${path}.defaultMode`));
      break;
  }
  return out;
}

/** Returns the causes and the set of declared volume names (for volumeMount lookups). */
export function validateVolumes(vols: unknown, path: string): { causes: Causes; names: Set<string> } {
  const names = new Set<string>();
  if (vols === undefined || vols === null) return { causes: [], names };
  if (!Array.isArray(vols)) return { causes: [invalid(path, vols, 'must be a list')], names };
  const out: Causes = [];
  vols.forEach((v: any, i: number) => {
    const vp = `${path}[${i}]`;
    if (!v?.name) out.push(required(`${vp}.name`));
    else {
      out.push(...checkName(`${vp}.name`, v.name, isDns1123Label));
      if (names.has(v.name)) out.push(duplicate(`${vp}.name`, v.name));
      names.add(v.name);
    }
    const present = VOLUME_SOURCES.filter((k) => v?.[k] !== undefined && v?.[k] !== null);
    if (present.length === 0) out.push(required(vp, 'must specify a volume type'));
    for (const extra of present.slice(1)) out.push(forbidden(`${vp}.${extra}`, 'may not specify more than 1 volume type'));
    if (present.length >= 1 && isObj(v[present[0]])) out.push(...validateSource(present[0], v[present[0]], `${vp}.${present[0]}`));
  });
  return { causes: out, names };
}
