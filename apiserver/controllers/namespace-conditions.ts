// The status conditions a terminating Namespace carries, worded as Kubernetes words them, so
// `kubectl describe ns` reads the same.
import { nowRfc3339 } from '../../api/types.js';

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

export interface DeletionProgress {
  /** remaining instances per resource plural (objects still present after this pass) */
  remaining: Record<string, number>;
  /** remaining instances per metadata.finalizer */
  finalizers: Record<string, number>;
  /** deletion errors, one line each */
  failures: string[];
}

export function namespaceConditions(p: DeletionProgress): NamespaceCondition[] {
  const remaining = Object.entries(p.remaining).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
  const finalizers = Object.entries(p.finalizers).sort(([a], [b]) => a.localeCompare(b));
  return [
    { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
    { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
    p.failures.length
      ? { type: 'NamespaceDeletionContentFailure', status: 'True', reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${p.failures.length} remaining: ${p.failures.join(', ')}` }
      : { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
    remaining.length
      ? { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.map(([r, n]) => `${r} has ${n} resource instances`).join(', ')}` }
      : { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
    finalizers.length
      ? { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${finalizers.map(([f, n]) => `${f} in ${n} resource instances`).join(', ')}` }
      : { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
  ];
}

/** Merge new conditions into old ones, keeping lastTransitionTime when a status did not change. */
export function mergeConditions(old: NamespaceCondition[] | undefined, next: NamespaceCondition[], now = nowRfc3339()): NamespaceCondition[] {
  const byType = new Map((old ?? []).map((c) => [c.type, c]));
  const merged = next.map((c) => {
    const prev = byType.get(c.type);
    byType.delete(c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now };
  });
  return [...merged, ...byType.values()];
}

/** True when the conditions differ in anything but lastTransitionTime. */
export function conditionsChanged(old: NamespaceCondition[] | undefined, next: NamespaceCondition[]): boolean {
  const strip = (cs: NamespaceCondition[] | undefined): string =>
    JSON.stringify((cs ?? []).map(({ type, status, reason, message }) => ({ type, status, reason, message })));
  return strip(old) !== strip(next);
}
