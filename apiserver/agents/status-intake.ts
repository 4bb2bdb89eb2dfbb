// What an agent reports becomes API objects: its Node (status merged, user-owned spec kept), its
// Lease, its pods' status and events. Every write is done as the node's user, and only for
// objects of that node. The merges are pure and exported for tests.
import { randomBytes } from 'node:crypto';
import { resourceFor } from '../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { ApiError, isNotFound } from '../../lib/errors.js';
import type { Registry, UserInfo } from '../registry/types.js';

export const NODES = resourceFor('', 'nodes')!;
export const PODS = resourceFor('', 'pods')!;
export const LEASES = resourceFor('coordination.k8s.io', 'leases')!;
export const EVENTS = resourceFor('', 'events')!;
export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;
const FIELD_MANAGER = 'kinglet-agent';

// Status fields the agent owns; anything else in status (set by controllers) is kept.
const NODE_STATUS_FIELDS = ['addresses', 'capacity', 'allocatable', 'nodeInfo', 'conditions', 'daemonEndpoints', 'images', 'phase'];

export function nodeUser(node: string): UserInfo {
  return { name: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'] };
}

/** Kubernetes MicroTime: "2006-01-02T15:04:05.000000Z". */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The Node after a report: labels merged into existing ones, agent-owned status replaced, spec untouched. */
export function mergeNode(existing: KubeObject | undefined, reported: KubeObject, node: string): KubeObject {
  const status: Record<string, unknown> = { ...(existing?.status ?? {}) };
  for (const f of NODE_STATUS_FIELDS) if (reported.status?.[f] !== undefined) status[f] = reported.status[f];
  if (!existing) {
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: node, labels: { ...(reported.metadata?.labels ?? {}) }, ...(reported.metadata?.annotations ? { annotations: reported.metadata.annotations } : {}) },
      spec: {},
      status,
    };
  }
  const next: KubeObject = structuredClone(existing);
  next.metadata.labels = { ...(existing.metadata.labels ?? {}), ...(reported.metadata?.labels ?? {}) };
  next.status = status;
  return next;
}

/** The node's Lease renewed at renewMs (created when missing). */
export function renewedLease(existing: KubeObject | undefined, node: string, renewMs: number): KubeObject {
  const lease: KubeObject = existing
    ? structuredClone(existing)
    : { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: node, namespace: LEASE_NAMESPACE }, spec: {} };
  lease.spec = { ...(lease.spec ?? {}), holderIdentity: node, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(renewMs) };
  return lease;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function writeNodeStatus(registry: Registry, node: string, reported: KubeObject): Promise<void> {
  const opts = { user: nodeUser(node), fieldManager: FIELD_MANAGER };
  // 1. Labels (main resource); creates the Node, with its status, when it does not exist.
  const { object, created } = await registry.guaranteedUpdate(
    NODES,
    undefined,
    node,
    (cur) => {
      const merged = mergeNode(cur, reported, node);
      if (cur) merged.status = cur.status;
      return merged;
    },
    { ...opts, allowCreate: true },
  );
  if (created && sameJson(object.status, mergeNode(undefined, reported, node).status)) return;
  // 2. Status through the status subresource.
  await registry.guaranteedUpdate(NODES, undefined, node, (cur) => mergeNode(cur, reported, node), { ...opts, subresource: 'status' });
}

export async function renewLease(registry: Registry, node: string, renewMs: number): Promise<void> {
  await registry.guaranteedUpdate(LEASES, LEASE_NAMESPACE, node, (cur) => renewedLease(cur, node, renewMs), {
    user: nodeUser(node),
    fieldManager: FIELD_MANAGER,
    allowCreate: true,
  });
}

class Skip extends Error {}

export interface PodStatusReport {
  namespace: string;
  name: string;
  uid: string;
  status: Record<string, unknown>;
  terminated: boolean;
}

/**
 * Writes a pod's status when the pod is still the one bound to this node (same uid); then, when
 * the agent reports it terminated and the pod is being deleted, removes the object. Returns what happened.
 */
export async function writePodStatus(registry: Registry, node: string, r: PodStatusReport): Promise<'written' | 'deleted' | 'ignored'> {
  const user = nodeUser(node);
  let current: KubeObject;
  try {
    ({ object: current } = await registry.guaranteedUpdate(
      PODS,
      r.namespace,
      r.name,
      (cur) => {
        if (!cur || cur.metadata.uid !== r.uid || cur.spec?.nodeName !== node) throw new Skip();
        cur.status = r.status;
        return cur;
      },
      { user, fieldManager: FIELD_MANAGER, subresource: 'status' },
    ));
  } catch (e) {
    if (e instanceof Skip || isNotFound(e)) return 'ignored';
    throw e;
  }
  if (!r.terminated || !current.metadata.deletionTimestamp) return 'written';
  try {
    await registry.delete(PODS, r.namespace, r.name, { gracePeriodSeconds: 0, preconditions: { uid: r.uid }, user });
    return 'deleted';
  } catch (e) {
    if (isNotFound(e)) return 'deleted';
    throw e;
  }
}

/** Fills what the agent may omit and pins the source to this node. Pure. */
export function normalizeEvent(ev: KubeObject, node: string, now: Date = new Date()): KubeObject {
  const io = ev.involvedObject ?? {};
  const namespace = io.namespace || ev.metadata?.namespace || 'default';
  const name = ev.metadata?.name || `${io.name ?? node}.${randomBytes(8).toString('hex')}`;
  const ts = nowRfc3339(now);
  return {
    ...ev,
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { ...(ev.metadata ?? {}), name, namespace },
    involvedObject: { ...io, namespace: io.kind === 'Node' ? io.namespace : namespace },
    source: { component: ev.source?.component || 'kubelet', host: node },
    reportingComponent: ev.reportingComponent || 'kubelet',
    reportingInstance: node,
    firstTimestamp: ev.firstTimestamp ?? ts,
    lastTimestamp: ev.lastTimestamp ?? ts,
    count: ev.count ?? 1,
    type: ev.type || 'Normal',
  };
}

/** Whether the event is about this node or one of its pods (lookup: the cached pod, if any). */
export function eventBelongsTo(ev: KubeObject, node: string, lookupPod: (ns: string, name: string) => KubeObject | undefined): boolean {
  const io = ev.involvedObject ?? {};
  if (io.kind === 'Node') return io.name === node;
  if (io.kind !== 'Pod' || !io.name) return false;
  const pod = lookupPod(io.namespace || ev.metadata?.namespace || 'default', io.name);
  return !!pod && pod.spec?.nodeName === node && (!io.uid || io.uid === pod.metadata.uid);
}

/**
 * A repeat of an event series already stored: count and lastTimestamp move forward (as the
 * kubelet's correlator patches them), firstTimestamp stays. The reporter's count wins when it is
 * ahead (the agent counts its own series); otherwise the occurrence is counted here. An exact
 * duplicate (same count and lastTimestamp, e.g. a resend) changes nothing. Pure.
 */
export function bumpedEvent(existing: KubeObject, reported: KubeObject): KubeObject {
  const count = Number(existing.count ?? 1);
  const rc = Number(reported.count ?? 1);
  if (rc === count && reported.lastTimestamp === existing.lastTimestamp) return existing;
  const later = (a?: string, b?: string): string | undefined => (!a ? b : !b ? a : Date.parse(b) > Date.parse(a) ? b : a);
  return {
    ...existing,
    count: rc > count ? rc : count + 1,
    lastTimestamp: later(existing.lastTimestamp, reported.lastTimestamp),
    message: reported.message ?? existing.message,
    ...(reported.series ? { series: reported.series } : {}),
  };
}

export async function recordEvent(registry: Registry, node: string, ev: KubeObject): Promise<void> {
  const e = normalizeEvent(ev, node);
  const opts = { user: nodeUser(node), fieldManager: FIELD_MANAGER };
  try {
    await registry.create(EVENTS, e.metadata.namespace, e, opts);
    return;
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
  }
  // the series exists: bump it, unless the name belongs to an event about something else (not ours
  // to touch; an unchanged object is not written)
  await registry.guaranteedUpdate(EVENTS, e.metadata.namespace, e.metadata.name!, (cur) => (!cur ? e : sameSubject(cur, e) ? bumpedEvent(cur, e) : cur), { ...opts, allowCreate: true });
}

function sameSubject(a: KubeObject, b: KubeObject): boolean {
  const x = a.involvedObject ?? {};
  const y = b.involvedObject ?? {};
  return x.kind === y.kind && x.name === y.name && (x.uid ?? '') === (y.uid ?? '') && a.reason === b.reason && a.source?.host === b.source?.host;
}
