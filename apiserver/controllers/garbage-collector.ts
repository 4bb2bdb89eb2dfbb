// Garbage collector: deletes objects whose owners are gone (background propagation), empties
// owners deleted with propagationPolicy Foreground before letting them go (foregroundDeletion
// finalizer, blockOwnerDeletion), and strips the owner reference from dependents of owners deleted
// with Orphan (orphan finalizer). The ownership graph comes from watches; whether an owner is gone
// is always confirmed by a live read before anything is deleted.
import { RESOURCES, type ResourceInfo } from '../../api/resources.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN } from '../registry/hooks.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { OwnerGraph, type GraphNode } from './gc-graph.js';
import { planDependent, planForeground, type OwnerState } from './gc-plan.js';
import { runController, type ControllerHandle } from './run-controller.js';

export const GC_USER: UserInfo = { name: 'system:serviceaccount:kube-system:generic-garbage-collector', groups: ['system:masters'] };
const write = { user: GC_USER, fieldManager: 'garbage-collector' };

/** Every kind that can own or be owned; Events are left to their TTL. */
export const gcResources = (): ResourceInfo[] => RESOURCES.filter((r) => r.kind !== 'Event');

export function resourceForRef(ref: OwnerReference): ResourceInfo | undefined {
  const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
  return RESOURCES.find((r) => r.group === group && r.version === version && r.kind === ref.kind) ?? RESOURCES.find((r) => r.group === group && r.kind === ref.kind);
}

export interface GarbageCollectorOptions {
  signal: AbortSignal;
  log: Logger;
  resyncMs?: number;
  workers?: number;
}

export function startGarbageCollector(registry: Registry, opts: GarbageCollectorOptions): ControllerHandle & { graph: OwnerGraph } {
  const graph = new OwnerGraph();
  const log = opts.log.child({ controller: 'garbage-collector' });
  const handle: ControllerHandle = runController({
    name: 'garbage-collector',
    registry,
    signal: opts.signal,
    log: opts.log,
    workers: opts.workers ?? 2,
    resyncMs: opts.resyncMs ?? 5 * 60_000,
    watches: gcResources().map((ri) => ({ ri, keyOf: (obj: KubeObject, type) => graph.apply(ri, obj, type) })),
    sync: (uid) => sync(uid),
  });

  async function sync(uid: string): Promise<void> {
    // dependents come from the graph: before every watch listed, an owner could look empty
    if (!handle.hasSynced()) await handle.synced;
    const node = graph.get(uid);
    if (!node) return;
    // 1: owners being deleted with a GC finalizer.
    if (node.deleting && node.finalizers.includes(FINALIZER_ORPHAN)) return orphanDependents(node);
    if (node.deleting && node.finalizers.includes(FINALIZER_FOREGROUND)) await deleteDependents(node);
    // 2: this object as a dependent.
    if (node.owners.length === 0 || (node.deleting && !node.finalizers.includes(FINALIZER_FOREGROUND))) return;
    const states = new Map<string, OwnerState>();
    for (const o of node.owners) states.set(o.uid, await ownerState(node, o));
    const plan = planDependent(node.owners, (o) => states.get(o.uid)!, graph.dependents(uid).length > 0);
    if (plan.action === 'delete') {
      log.info({ resource: node.ri.plural, namespace: node.namespace, name: node.name, foreground: plan.foreground }, 'garbage collecting dependent');
      await del(node, plan.foreground ? 'Foreground' : 'Background');
    } else if (plan.action === 'removeOwners') {
      await patchOwners(node, (refs) => refs.filter((r) => !plan.uids.includes(r.uid)));
    }
  }

  /** Known in the graph, else confirmed by a GET (by name, then uid). */
  async function ownerState(dep: GraphNode, ref: OwnerReference): Promise<OwnerState> {
    const known = graph.get(ref.uid);
    if (known) return known.deleting && known.finalizers.includes(FINALIZER_FOREGROUND) ? 'foreground' : 'solid';
    const ri = resourceForRef(ref);
    if (!ri) return 'solid'; // an owner kind we cannot look up is never assumed gone
    try {
      const owner = await registry.get(ri, ri.namespaced ? dep.namespace : undefined, ref.name);
      if (owner.metadata.uid !== ref.uid) return 'dangling';
      return owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FINALIZER_FOREGROUND) ? 'foreground' : 'solid';
    } catch (err) {
      if (isNotFound(err)) return 'dangling';
      throw err;
    }
  }

  async function orphanDependents(owner: GraphNode): Promise<void> {
    for (const dep of graph.dependents(owner.uid)) await patchOwners(dep, (refs) => refs.filter((r) => r.uid !== owner.uid));
    await removeFinalizer(owner, FINALIZER_ORPHAN);
    log.info({ resource: owner.ri.plural, namespace: owner.namespace, name: owner.name }, 'orphaned dependents');
  }

  async function deleteDependents(owner: GraphNode): Promise<void> {
    const plan = planForeground(owner.uid, graph.dependents(owner.uid));
    for (const dep of plan.remove) await del(dep, graph.dependents(dep.uid).length ? 'Foreground' : 'Background');
    if (plan.done) await removeFinalizer(owner, FINALIZER_FOREGROUND);
  }

  async function del(node: GraphNode, policy: 'Foreground' | 'Background'): Promise<void> {
    try {
      await registry.delete(node.ri, node.namespace, node.name, { ...write, propagationPolicy: policy, preconditions: { uid: node.uid } });
    } catch (err) {
      if (!isNotFound(err) && !isPreconditionFailure(err)) throw err;
    }
  }

  async function patchOwners(node: GraphNode, change: (refs: OwnerReference[]) => OwnerReference[]): Promise<void> {
    await mutate(node, (cur) => {
      const refs = change(cur.metadata.ownerReferences ?? []);
      if (refs.length) cur.metadata.ownerReferences = refs;
      else delete cur.metadata.ownerReferences;
    });
  }

  async function removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    await mutate(node, (cur) => {
      cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    });
  }

  async function mutate(node: GraphNode, fn: (cur: KubeObject) => void): Promise<void> {
    try {
      await registry.guaranteedUpdate(node.ri, node.namespace, node.name, (cur) => {
        if (!cur || cur.metadata.uid !== node.uid) return cur!;
        fn(cur);
        return cur;
      }, write);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  return Object.assign(handle, { graph });
}

const isPreconditionFailure = (err: unknown): boolean => err instanceof Error && /Precondition failed/.test(err.message);
