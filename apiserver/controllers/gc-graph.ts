// The garbage collector's picture of ownership, built from watches of every resource (as
// Kubernetes' GraphBuilder): each object's owners, and for each owner uid its dependents. apply()
// also says which uids need a look after an event — it is what the watches' keyOf returns.
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeObject, OwnerReference, WatchEvent } from '../../api/types.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN } from '../registry/hooks.js';

export interface GraphNode {
  ri: ResourceInfo;
  uid: string;
  namespace?: string;
  name: string;
  owners: OwnerReference[];
  deleting: boolean;
  finalizers: string[];
}

export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependentsOf = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  dependents(uid: string): GraphNode[] {
    return [...(this.dependentsOf.get(uid) ?? [])].map((u) => this.nodes.get(u)).filter((n): n is GraphNode => !!n);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** Record one watch event; returns the uids worth a sync. */
  apply(ri: ResourceInfo, obj: KubeObject, type: WatchEvent['type']): string[] {
    const uid = obj.metadata.uid;
    if (!uid) return [];
    const prev = this.nodes.get(uid);
    if (prev) for (const o of prev.owners) this.unlink(o.uid, uid);
    if (type === 'DELETED') {
      this.nodes.delete(uid);
      // dependents may now be dangling; an owner in foreground deletion may be done waiting
      return [...(this.dependentsOf.get(uid) ?? []), ...(prev?.owners ?? obj.metadata.ownerReferences ?? []).map((o) => o.uid)];
    }
    const node: GraphNode = {
      ri,
      uid,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name!,
      owners: obj.metadata.ownerReferences ?? [],
      deleting: !!obj.metadata.deletionTimestamp,
      finalizers: obj.metadata.finalizers ?? [],
    };
    this.nodes.set(uid, node);
    for (const o of node.owners) this.link(o.uid, uid);
    const keys: string[] = [];
    if (node.deleting && (node.finalizers.includes(FINALIZER_ORPHAN) || node.finalizers.includes(FINALIZER_FOREGROUND))) keys.push(uid);
    // owners not seen (yet) or in foreground deletion: look whether this one must go
    else if (node.owners.some((o) => { const on = this.nodes.get(o.uid); return !on || (on.deleting && on.finalizers.includes(FINALIZER_FOREGROUND)); })) keys.push(uid);
    // a dependent changing (e.g. marked for deletion) may let a foreground owner finish
    for (const o of node.owners) if (this.nodes.get(o.uid)?.finalizers.includes(FINALIZER_FOREGROUND)) keys.push(o.uid);
    return keys;
  }

  private link(owner: string, dep: string): void {
    let s = this.dependentsOf.get(owner);
    if (!s) this.dependentsOf.set(owner, (s = new Set()));
    s.add(dep);
  }

  private unlink(owner: string, dep: string): void {
    const s = this.dependentsOf.get(owner);
    if (!s) return;
    s.delete(dep);
    if (s.size === 0) this.dependentsOf.delete(owner);
  }
}
