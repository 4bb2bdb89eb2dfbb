// What the workload controllers (Job, DaemonSet, StatefulSet) share about the pods they own: the
// controller ownerReference that ties a pod to its owner (and lets the garbage collector clean up),
// pod construction from a template, pod state predicates, and a list of one owner's pods.
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../../api/resources.js';
import { resourceFor } from '../../api/resources.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { Registry } from '../registry/types.js';

export const PODS = resourceFor('', 'pods')!;

type Cond = { type: string; status: string; lastTransitionTime?: string };

export function ownerRefTo(owner: KubeObject, ri: ResourceInfo): OwnerReference {
  return {
    apiVersion: ri.group ? `${ri.group}/${ri.version}` : ri.version,
    kind: ri.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The uid of the object's managing controller, if any. */
export function controllerUid(obj: KubeObject): string | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller)?.uid;
}

/** The controller ownerReference of a given kind (e.g. "Job"), if any. */
export function controllerRefOfKind(obj: KubeObject, kind: string): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller && r.kind === kind);
}

export interface PodFromTemplate {
  name?: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** applied to the copied pod spec last (hostname, subdomain, volumes, affinity...) */
  mutateSpec?: (spec: Record<string, any>) => void;
}

/** A new pod from an owner's pod template, carrying the controller ownerReference. */
export function podFromTemplate(owner: KubeObject, ri: ResourceInfo, template: KubeObject | undefined, p: PodFromTemplate): KubeObject {
  const tmeta = template?.metadata ?? {};
  const spec = structuredClone(template?.spec ?? {});
  p.mutateSpec?.(spec);
  const meta: KubeObject['metadata'] = {
    namespace: owner.metadata.namespace,
    labels: { ...(tmeta.labels ?? {}), ...(p.labels ?? {}) },
    ownerReferences: [ownerRefTo(owner, ri)],
  };
  const annotations = { ...(tmeta.annotations ?? {}), ...(p.annotations ?? {}) };
  if (Object.keys(annotations).length) meta.annotations = annotations;
  if (p.name) meta.name = p.name;
  else meta.generateName = p.generateName ?? `${owner.metadata.name}-`;
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec };
}

export const isTerminalPod = (p: KubeObject): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
export const isDeleting = (p: KubeObject): boolean => !!p.metadata.deletionTimestamp;
/** running or about to: not finished and not on its way out */
export const isActivePod = (p: KubeObject): boolean => !isTerminalPod(p) && !isDeleting(p);

export function isPodReady(p: KubeObject): boolean {
  if (p.status?.phase !== 'Running') return false;
  return ((p.status?.conditions ?? []) as Cond[]).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Ready for at least minReadySeconds (Kubernetes' "available"). */
export function isPodAvailable(p: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(p)) return false;
  if (!minReadySeconds) return true;
  const ready = ((p.status?.conditions ?? []) as Cond[]).find((c) => c.type === 'Ready');
  const since = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  return Number.isFinite(since) && now - since >= minReadySeconds * 1000;
}

/** Objects of a resource in the owner's namespace whose controller is this owner. */
export async function listOwned(registry: Registry, ri: ResourceInfo, owner: KubeObject): Promise<KubeObject[]> {
  const list = await registry.list(ri, owner.metadata.namespace);
  return list.items.filter((o) => controllerUid(o) === owner.metadata.uid);
}

/** Pods in the namespace whose controller is this owner. */
export const listOwnedPods = (registry: Registry, owner: KubeObject): Promise<KubeObject[]> => listOwned(registry, PODS, owner);

/** Watch key of a pod: its controller's ns/name when the controller is of this kind. */
export function ownerKeyOfPod(kind: string): (pod: KubeObject) => string | undefined {
  return (pod) => {
    const ref = controllerRefOfKind(pod, kind);
    return ref ? `${pod.metadata.namespace}/${ref.name}` : undefined;
  };
}

export const keyOf = (o: KubeObject): string => `${o.metadata.namespace}/${o.metadata.name}`;

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** "0-2,4,7-8" for a sorted set of indexes, as Job status.completedIndexes. */
export function compressIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

export function parseIndexes(s: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a; i <= (b ?? a); i++) out.add(i);
  }
  return out;
}

/** An IntOrString like 1 or "25%" against a total (Kubernetes GetScaledValueFromIntOrPercent). */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, fallback = 0): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return /^\d+$/.test(v) ? Number(v) : fallback;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** A short stable hash of a pod template: what the controller-revision-hash label carries. */
export function templateHash(template: unknown): string {
  return createHash('sha256').update(stableJson(template)).digest('hex').slice(0, 10);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}
