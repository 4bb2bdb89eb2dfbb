// Volume contents of configMap, secret, downwardAPI and projected volumes as AtomicWriter payloads,
// with the kubelet's item/mode/optional rules and error messages.
import type { KubeObject } from '../../api/types.js';
import { containerResourceValue, podFieldValue, type Allocatable } from '../container-config/field-ref.js';
import { VolumeError, type ObjectLookup } from '../podworker/deps.js';
import type { Payload } from './atomic-writer.js';

export const DEFAULT_MODE = 0o644;

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

interface KeyedSource {
  name: string;
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}

export interface PayloadContext {
  pod: KubeObject;
  lookup: ObjectLookup;
  allocatable: Allocatable;
}

/** data of a ConfigMap (data + binaryData) or Secret (base64 data) as bytes; undefined = not found */
function sourceData(kind: 'configMap' | 'secret', ctx: PayloadContext, name: string): Map<string, Buffer> | undefined {
  const ns = ctx.pod.metadata.namespace ?? 'default';
  const obj = kind === 'configMap' ? ctx.lookup.configMap(ns, name) : ctx.lookup.secret(ns, name);
  if (!obj) return undefined;
  const out = new Map<string, Buffer>();
  if (kind === 'configMap') {
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) out.set(k, Buffer.from(v, 'utf8'));
    for (const [k, v] of Object.entries((obj.binaryData ?? {}) as Record<string, string>)) out.set(k, Buffer.from(v, 'base64'));
  } else {
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) out.set(k, Buffer.from(v, 'base64'));
    for (const [k, v] of Object.entries((obj.stringData ?? {}) as Record<string, string>)) out.set(k, Buffer.from(v, 'utf8'));
  }
  return out;
}

/** Adds a configMap or secret source to the payload (projected volumes add several). */
export function addKeyedSource(payload: Payload, kind: 'configMap' | 'secret', src: KeyedSource, ctx: PayloadContext, defaultMode?: number): void {
  const mode = src.defaultMode ?? defaultMode ?? DEFAULT_MODE;
  const data = sourceData(kind, ctx, src.name);
  if (!data) {
    if (src.optional) return;
    throw new VolumeError(`${kind.toLowerCase()} "${src.name}" not found`);
  }
  if (!src.items?.length) {
    for (const [k, v] of data) payload.set(k, { data: v, mode });
    return;
  }
  for (const item of src.items) {
    const v = data.get(item.key);
    if (!v) {
      if (src.optional) continue;
      throw new VolumeError(kind === 'configMap' ? `configmap references non-existent config key: ${item.key}` : `references non-existent secret key: ${item.key}`);
    }
    payload.set(item.path, { data: v, mode: item.mode ?? mode });
  }
}

interface DownwardItem {
  path: string;
  fieldRef?: { fieldPath: string };
  resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number };
  mode?: number;
}

export function addDownwardApi(payload: Payload, items: DownwardItem[] | undefined, ctx: PayloadContext, defaultMode?: number): void {
  for (const item of items ?? []) {
    let value: string;
    try {
      if (item.fieldRef) value = podFieldValue(ctx.pod, item.fieldRef.fieldPath, {});
      else if (item.resourceFieldRef) {
        const name = item.resourceFieldRef.containerName;
        const all = [...(ctx.pod.spec?.containers ?? []), ...(ctx.pod.spec?.initContainers ?? [])] as KubeObject[];
        const container = all.find((c) => c.name === name);
        if (!container) throw new Error(`container ${name} not found`);
        value = containerResourceValue(item.resourceFieldRef, container, ctx.allocatable);
      } else continue;
    } catch (e) {
      throw new VolumeError((e as Error).message);
    }
    payload.set(item.path, { data: Buffer.from(value, 'utf8'), mode: item.mode ?? defaultMode ?? DEFAULT_MODE });
  }
}

/** The payload of one volume of a kind the AtomicWriter serves. */
export function volumePayload(volume: KubeObject, ctx: PayloadContext, onSkip: (what: string) => void): Payload {
  const payload: Payload = new Map();
  if (volume.configMap) addKeyedSource(payload, 'configMap', volume.configMap, ctx);
  else if (volume.secret) addKeyedSource(payload, 'secret', { ...volume.secret, name: volume.secret.secretName }, ctx);
  else if (volume.downwardAPI) addDownwardApi(payload, volume.downwardAPI.items, ctx, volume.downwardAPI.defaultMode);
  else if (volume.projected) {
    const mode: number | undefined = volume.projected.defaultMode;
    for (const src of (volume.projected.sources ?? []) as KubeObject[]) {
      if (src.configMap) addKeyedSource(payload, 'configMap', src.configMap, ctx, mode);
      else if (src.secret) addKeyedSource(payload, 'secret', src.secret, ctx, mode);
      else if (src.downwardAPI) addDownwardApi(payload, src.downwardAPI.items, ctx, mode);
      else if (src.serviceAccountToken) onSkip('serviceAccountToken');
      else onSkip(Object.keys(src)[0] ?? 'unknown');
    }
  }
  return payload;
}
