// The agent's cache of what the control plane wants on this node. Snapshots replace it wholesale
// (the diff against the old content becomes deletes, so a vanished pod is killed), deltas patch it.
// No I/O: the link feeds it, the pod workers and the proxy read it.
import type { KubeObject } from '../../api/types.js';
import type { DesiredChange, DesiredKind, DesiredState } from './types.js';

export const DESIRED_KINDS: readonly DesiredKind[] = ['Pod', 'ConfigMap', 'Secret', 'Service', 'Endpoints', 'Node'];

export function isDesiredKind(kind: string): kind is DesiredKind {
  return (DESIRED_KINDS as readonly string[]).includes(kind);
}

// Pods are keyed by uid: a pod deleted and recreated under the same name is a different pod whose
// old containers must go. Everything else is looked up by namespace/name.
function objectKey(kind: DesiredKind, obj: KubeObject): string {
  const m = obj.metadata ?? {};
  if (kind === 'Pod' && m.uid) return `uid:${m.uid}`;
  return `${m.namespace ?? ''}/${m.name ?? ''}`;
}

type Listener = (changes: DesiredChange[], snapshot: boolean) => void;

export class DesiredStore implements DesiredState {
  private readonly objects = new Map<DesiredKind, Map<string, KubeObject>>(DESIRED_KINDS.map((k) => [k, new Map()]));
  private readonly listeners = new Set<Listener>();
  private isSynced = false;
  private rev = 0;

  pods(): KubeObject[] {
    return [...this.bucket('Pod').values()];
  }

  pod(namespace: string, name: string): KubeObject | undefined {
    for (const p of this.bucket('Pod').values()) {
      if (p.metadata.namespace === namespace && p.metadata.name === name) return p;
    }
    return undefined;
  }

  podByUid(uid: string): KubeObject | undefined {
    return this.bucket('Pod').get(`uid:${uid}`);
  }

  configMap(namespace: string, name: string): KubeObject | undefined {
    return this.bucket('ConfigMap').get(`${namespace}/${name}`);
  }

  secret(namespace: string, name: string): KubeObject | undefined {
    return this.bucket('Secret').get(`${namespace}/${name}`);
  }

  services(namespace: string): KubeObject[] {
    return [...this.bucket('Service').values()].filter((s) => s.metadata.namespace === namespace);
  }

  endpoints(namespace: string, name: string): KubeObject | undefined {
    return this.bucket('Endpoints').get(`${namespace}/${name}`);
  }

  nodes(): KubeObject[] {
    return this.list('Node');
  }

  /** Every object of a kind across namespaces (the proxy renders all Services/Endpoints). */
  list(kind: DesiredKind): KubeObject[] {
    return [...this.bucket(kind).values()];
  }

  synced(): boolean {
    return this.isSynced;
  }

  /** The revision of the last snapshot or delta applied (sent in Hello to resume). */
  revision(): number {
    return this.rev;
  }

  onChange(cb: Listener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /**
   * Replace the whole state. Returns (and announces) every object as an upsert, then a delete for
   * each object held before that the snapshot no longer contains. Delete entries in a snapshot are
   * ignored: a snapshot lists what exists.
   */
  applySnapshot(objects: DesiredChange[], revision: number): DesiredChange[] {
    const next = new Map<DesiredKind, Map<string, KubeObject>>(DESIRED_KINDS.map((k) => [k, new Map()]));
    const changes: DesiredChange[] = [];
    for (const c of objects) {
      if (c.type !== 'upsert') continue;
      next.get(c.kind)!.set(objectKey(c.kind, c.object), c.object);
      changes.push({ kind: c.kind, type: 'upsert', object: c.object });
    }
    for (const kind of DESIRED_KINDS) {
      const now = next.get(kind)!;
      for (const [key, obj] of this.bucket(kind)) {
        if (!now.has(key)) changes.push({ kind, type: 'delete', object: obj });
      }
      this.objects.set(kind, now);
    }
    this.rev = revision;
    this.isSynced = true;
    this.emit(changes, true);
    return changes;
  }

  /** Apply incremental changes; a delete carries the held copy when there is one. */
  applyDelta(changes: DesiredChange[], revision: number): DesiredChange[] {
    const out: DesiredChange[] = [];
    for (const c of changes) {
      const bucket = this.bucket(c.kind);
      const key = objectKey(c.kind, c.object);
      if (c.type === 'upsert') {
        bucket.set(key, c.object);
        out.push(c);
      } else {
        const held = bucket.get(key);
        bucket.delete(key);
        out.push({ kind: c.kind, type: 'delete', object: held ?? c.object });
      }
    }
    if (revision > this.rev) this.rev = revision;
    if (out.length > 0) this.emit(out, false);
    return out;
  }

  private bucket(kind: DesiredKind): Map<string, KubeObject> {
    return this.objects.get(kind)!;
  }

  // Every listener hears every change even when one throws; the first failure is rethrown after.
  private emit(changes: DesiredChange[], snapshot: boolean): void {
    let failure: unknown;
    for (const cb of [...this.listeners]) {
      try {
        cb(changes, snapshot);
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
  }
}

/**
 * The store read as a DesiredState whose synced() is the caller's gate: in-process links (benchmarks,
 * tests sharing a dockerd) keep it closed so the agent never removes containers it does not know.
 */
export function desiredView(store: DesiredStore, synced: () => boolean): DesiredState {
  return {
    pods: () => store.pods(),
    configMap: (ns, n) => store.configMap(ns, n),
    secret: (ns, n) => store.secret(ns, n),
    services: (ns) => store.services(ns),
    endpoints: (ns, n) => store.endpoints(ns, n),
    list: (kind) => store.list(kind),
    nodes: () => store.nodes(),
    synced,
    onChange: (cb) => store.onChange(cb),
  };
}
