// The garbage collector's decisions, pure: what to do with a dependent given the state of its
// owners, and what an owner in foreground deletion still waits for.
import type { OwnerReference } from '../../api/types.js';
import type { GraphNode } from './gc-graph.js';

/** solid: exists; dangling: gone (or a different object by that name); foreground: being deleted in foreground */
export type OwnerState = 'solid' | 'dangling' | 'foreground';

export type DependentAction = { action: 'none' } | { action: 'delete'; foreground: boolean } | { action: 'removeOwners'; uids: string[] };

/**
 * attemptToDeleteItem: with no solid owner left the dependent goes (in foreground when an owner
 * waits for it in foreground and it has dependents of its own); with some solid owners the dangling
 * references are removed; otherwise nothing.
 */
export function planDependent(owners: OwnerReference[], state: (ref: OwnerReference) => OwnerState, hasDependents: boolean): DependentAction {
  if (owners.length === 0) return { action: 'none' };
  const states = owners.map((o) => ({ o, s: state(o) }));
  const dangling = states.filter((x) => x.s === 'dangling');
  const solid = states.filter((x) => x.s === 'solid');
  const waiting = states.filter((x) => x.s === 'foreground');
  if (solid.length > 0) return dangling.length ? { action: 'removeOwners', uids: dangling.map((x) => x.o.uid) } : { action: 'none' };
  if (waiting.length > 0) return { action: 'delete', foreground: hasDependents };
  return { action: 'delete', foreground: false };
}

export interface ForegroundPlan {
  /** dependents to delete now (not already being deleted) */
  remove: GraphNode[];
  /** true when nothing blocks the owner any more: drop its foregroundDeletion finalizer */
  done: boolean;
}

export function planForeground(ownerUid: string, dependents: GraphNode[]): ForegroundPlan {
  const remove = dependents.filter((d) => !d.deleting);
  const blocking = dependents.filter((d) => d.owners.some((o) => o.uid === ownerUid && o.blockOwnerDeletion === true));
  return { remove, done: blocking.length === 0 };
}
