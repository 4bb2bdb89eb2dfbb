// Defaults of the smaller kinds: Secret type and stringData, Namespace finalizers, volumes, ports.
import type { KubeObject } from '../types.js';

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** stringData is write-only: merged into data as base64 (stringData wins), then dropped. */
export function defaultSecret(s: KubeObject): void {
  s.type ||= 'Opaque';
  if (isObj(s.stringData)) {
    const data: Record<string, string> = isObj(s.data) ? s.data : {};
    for (const [k, v] of Object.entries(s.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    s.data = data;
  }
  delete s.stringData;
}

export function defaultNamespace(ns: KubeObject): void {
  if (!isObj(ns.spec)) ns.spec = {};
  if (!Array.isArray(ns.spec.finalizers)) ns.spec.finalizers = ['kubernetes'];
  if (!isObj(ns.status)) ns.status = {};
  ns.status.phase ||= 'Active';
}

export function defaultPvc(pvc: KubeObject): void {
  if (!isObj(pvc.spec)) pvc.spec = {};
  pvc.spec.volumeMode ||= 'Filesystem';
  if (!isObj(pvc.status)) pvc.status = {};
  pvc.status.phase ||= 'Pending';
}

export function defaultPv(pv: KubeObject): void {
  if (!isObj(pv.spec)) pv.spec = {};
  pv.spec.persistentVolumeReclaimPolicy ||= 'Retain';
  pv.spec.volumeMode ||= 'Filesystem';
  if (!isObj(pv.status)) pv.status = {};
  pv.status.phase ||= 'Pending';
}

export function defaultEndpoints(ep: KubeObject): void {
  for (const s of Array.isArray(ep.subsets) ? ep.subsets : []) {
    for (const p of Array.isArray(s?.ports) ? s.ports : []) if (isObj(p)) p.protocol ||= 'TCP';
  }
}

export function defaultEndpointSlice(es: KubeObject): void {
  for (const p of Array.isArray(es.ports) ? es.ports : []) if (isObj(p)) p.protocol ||= 'TCP';
  for (const e of Array.isArray(es.endpoints) ? es.endpoints : []) {
    if (isObj(e)) e.conditions ??= {};
  }
}

export function defaultNode(n: KubeObject): void {
  if (isObj(n.status) && isObj(n.status.capacity) && !isObj(n.status.allocatable)) {
    n.status.allocatable = { ...n.status.capacity };
  }
}
