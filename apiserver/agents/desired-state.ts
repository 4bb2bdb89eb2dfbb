// What one node may see, as a pure function of the cluster: its pods, the ConfigMaps and Secrets
// those pods reference, every Service and Endpoints (for the proxy) and every Node, slimmed to what
// routing needs (podCIDRs, addresses), so the 10 s heartbeats of N nodes do not become N² deltas. The node session diffs
// successive results to send deltas; the node authorizer uses the same reference rules.
import type { KubeObject } from '../../api/types.js';

export type DesiredKind = 'Pod' | 'ConfigMap' | 'Secret' | 'Service' | 'Endpoints' | 'Node';

export interface DesiredEntry {
  kind: DesiredKind;
  object: KubeObject;
}

export interface DesiredChange {
  type: 'UPSERT' | 'DELETE';
  kind: DesiredKind;
  object: KubeObject;
}

/** The read side the computation needs (the cluster cache implements it; tests pass plain maps). */
export interface ClusterView {
  podsOnNode(node: string): Iterable<KubeObject>;
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  services(): Iterable<KubeObject>;
  endpoints(): Iterable<KubeObject>;
  nodes(): Iterable<KubeObject>;
}

export interface PodReferences {
  configMaps: Set<string>;
  secrets: Set<string>;
}

type Container = { env?: Array<{ valueFrom?: any }>; envFrom?: Array<{ configMapRef?: { name?: string }; secretRef?: { name?: string } }> };

/** Names (in the pod's namespace) of the ConfigMaps and Secrets a pod uses, as Kubernetes' node graph counts them. */
export function podReferences(pod: KubeObject): PodReferences {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const add = (set: Set<string>, name: unknown) => {
    if (typeof name === 'string' && name !== '') set.add(name);
  };
  const spec = pod.spec ?? {};
  for (const v of spec.volumes ?? []) {
    add(configMaps, v.configMap?.name);
    add(secrets, v.secret?.secretName);
    for (const s of v.projected?.sources ?? []) {
      add(configMaps, s.configMap?.name);
      add(secrets, s.secret?.name);
    }
    // Volume plugins that carry credentials.
    add(secrets, v.csi?.nodePublishSecretRef?.name);
    add(secrets, v.cephfs?.secretRef?.name);
    add(secrets, v.rbd?.secretRef?.name);
    add(secrets, v.iscsi?.secretRef?.name);
    add(secrets, v.flexVolume?.secretRef?.name);
    add(secrets, v.azureFile?.secretName);
  }
  const containers: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    for (const e of c.env ?? []) {
      add(configMaps, e.valueFrom?.configMapKeyRef?.name);
      add(secrets, e.valueFrom?.secretKeyRef?.name);
    }
    for (const f of c.envFrom ?? []) {
      add(configMaps, f.configMapRef?.name);
      add(secrets, f.secretRef?.name);
    }
  }
  for (const s of spec.imagePullSecrets ?? []) add(secrets, s?.name);
  return { configMaps, secrets };
}

export function entryKey(kind: DesiredKind, obj: KubeObject): string {
  return `${kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** Every object the node should hold, keyed by kind/namespace/name. */
export function desiredFor(node: string, view: ClusterView): Map<string, DesiredEntry> {
  const out = new Map<string, DesiredEntry>();
  const put = (kind: DesiredKind, object: KubeObject | undefined) => {
    if (object) out.set(entryKey(kind, object), { kind, object });
  };
  for (const pod of view.podsOnNode(node)) {
    put('Pod', pod);
    const ns = pod.metadata.namespace ?? 'default';
    const refs = podReferences(pod);
    for (const name of refs.configMaps) put('ConfigMap', view.configMap(ns, name));
    for (const name of refs.secrets) put('Secret', view.secret(ns, name));
  }
  for (const s of view.services()) put('Service', s);
  for (const e of view.endpoints()) put('Endpoints', e);
  for (const n of view.nodes()) put('Node', slimNode(n));
  return out;
}

/**
 * The part of a Node other agents use: identity, labels, spec (podCIDR(s), taints) and addresses,
 * plus each condition's type/status without heartbeat times. resourceVersion is kept for the wire
 * but not compared (see sameContent).
 */
export function slimNode(n: KubeObject): KubeObject {
  const m = n.metadata ?? {};
  const st = n.status ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: m.name, uid: m.uid, resourceVersion: m.resourceVersion, ...(m.labels ? { labels: m.labels } : {}) },
    spec: n.spec ?? {},
    status: {
      addresses: st.addresses ?? [],
      conditions: (st.conditions ?? []).map((c: { type: string; status: string }) => ({ type: c.type, status: c.status })),
    },
  };
}

const withoutRv = (o: KubeObject): string => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });

/** Slim nodes compare by content (their resourceVersion moves with every heartbeat); the rest by version. */
export function sameContent(kind: DesiredKind, a: KubeObject, b: KubeObject): boolean {
  if (a.metadata.uid !== b.metadata.uid) return false;
  if (kind === 'Node') return withoutRv(a) === withoutRv(b);
  return a.metadata.resourceVersion === b.metadata.resourceVersion;
}

/** Changes that turn `sent` into `next`: upserts for new or re-versioned objects, deletes for vanished ones. */
export function diffDesired(sent: Map<string, DesiredEntry>, next: Map<string, DesiredEntry>): DesiredChange[] {
  const changes: DesiredChange[] = [];
  for (const [key, e] of next) {
    const old = sent.get(key);
    if (!old || !sameContent(e.kind, old.object, e.object)) {
      changes.push({ type: 'UPSERT', kind: e.kind, object: e.object });
    }
  }
  for (const [key, e] of sent) {
    if (!next.has(key)) changes.push({ type: 'DELETE', kind: e.kind, object: e.object });
  }
  return changes;
}
