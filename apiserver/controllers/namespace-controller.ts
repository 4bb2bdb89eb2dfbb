// Namespace deletion: once a Namespace has a deletionTimestamp (the registry keeps it because
// spec.finalizers holds "kubernetes"), delete everything in it, report progress in status
// conditions, and when nothing is left remove the "kubernetes" finalizer through the finalize
// subresource — the registry then removes the Namespace itself.
import { RESOURCES, resourceFor, type ResourceInfo } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { conditionsChanged, mergeConditions, namespaceConditions, type DeletionProgress } from './namespace-conditions.js';
import { runController, type ControllerHandle } from './run-controller.js';

export const NAMESPACE_CONTROLLER_USER: UserInfo = {
  name: 'system:serviceaccount:kube-system:namespace-controller',
  groups: ['system:masters'],
};
export const FINALIZER_KUBERNETES = 'kubernetes';

const NAMESPACES = resourceFor('', 'namespaces')!;
const PODS = resourceFor('', 'pods')!;
const NODES = resourceFor('', 'nodes')!;
const write = { user: NAMESPACE_CONTROLLER_USER, fieldManager: 'namespace-controller' };

export interface NamespaceControllerOptions {
  signal: AbortSignal;
  log: Logger;
  /** how soon to look again while content remains (pod watch events also nudge it) */
  recheckMs?: number;
  resyncMs?: number;
}

export function startNamespaceController(registry: Registry, opts: NamespaceControllerOptions): ControllerHandle {
  const recheckMs = opts.recheckMs ?? 2000;
  const handle: ControllerHandle = runController({
    name: 'namespace',
    registry,
    signal: opts.signal,
    log: opts.log,
    resyncMs: opts.resyncMs ?? 5 * 60_000,
    watches: [
      { ri: NAMESPACES, keyOf: (ns) => (ns.metadata.deletionTimestamp ? ns.metadata.name : undefined) },
      // A pod leaving a namespace is what a terminating namespace most often waits for.
      { ri: PODS, keyOf: (pod, type) => (type === 'DELETED' || pod.metadata.deletionTimestamp ? pod.metadata.namespace : undefined) },
    ],
    sync: async (name) => {
      const left = await syncNamespace(registry, name, opts.log);
      if (left) handle.enqueueAfter(name, recheckMs);
    },
  });
  return handle;
}

/**
 * One pass over a namespace. Returns true while content remains (look again later).
 * Throws on a failure worth a rate-limited retry (e.g. a conflict writing the finalize subresource).
 */
export async function syncNamespace(registry: Registry, name: string, log?: Logger): Promise<boolean> {
  // 1: only namespaces being deleted, and only while our finalizer is on them.
  let ns: KubeObject;
  try {
    ns = await registry.get(NAMESPACES, undefined, name);
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
  if (!ns.metadata.deletionTimestamp) return false;
  const specFinalizers: string[] = ns.spec?.finalizers ?? [];
  if (!specFinalizers.includes(FINALIZER_KUBERNETES)) return false;

  // 2: delete the content, resource by resource.
  const progress = await deleteContent(registry, name, log);
  const remaining = Object.values(progress.remaining).reduce((a, b) => a + b, 0);

  // 3: report progress (only when it changed, to spare watchers).
  const next = namespaceConditions(progress);
  if (conditionsChanged(ns.status?.conditions, next) || ns.status?.phase !== 'Terminating') {
    try {
      ns = (
        await registry.guaranteedUpdate(
          NAMESPACES,
          undefined,
          name,
          (cur) => {
            cur!.status = { ...(cur!.status ?? {}), phase: 'Terminating', conditions: mergeConditions(cur!.status?.conditions, next) };
            return cur!;
          },
          { ...write, subresource: 'status' },
        )
      ).object;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
  if (remaining > 0 || progress.failures.length > 0) return true;

  // 4: empty — drop our finalizer; the registry deletes the namespace when no finalizer is left.
  const finalize: KubeObject = {
    ...ns,
    spec: { ...(ns.spec ?? {}), finalizers: specFinalizers.filter((f) => f !== FINALIZER_KUBERNETES) },
  };
  try {
    await registry.update(NAMESPACES, undefined, name, finalize, { ...write, subresource: 'finalize' });
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
  log?.info({ namespace: name }, 'namespace content removed; finalized');
  return false;
}

/** Namespaced resources to empty; Events go last so deletion problems stay visible until the end. */
export function namespacedResources(): ResourceInfo[] {
  const rs = RESOURCES.filter((ri) => ri.namespaced);
  return [...rs.filter((r) => r.kind !== 'Event'), ...rs.filter((r) => r.kind === 'Event')];
}

async function deleteContent(registry: Registry, namespace: string, log?: Logger): Promise<DeletionProgress> {
  const progress: DeletionProgress = { remaining: {}, finalizers: {}, failures: [] };
  let nodeNames: Set<string> | undefined;
  for (const ri of namespacedResources()) {
    let items: KubeObject[];
    try {
      items = (await registry.list(ri, namespace)).items;
    } catch (err) {
      progress.failures.push(`${ri.plural}: ${(err as Error).message}`);
      continue;
    }
    for (const obj of items) {
      const objName = obj.metadata.name!;
      const opts: Parameters<Registry['delete']>[3] = { ...write, propagationPolicy: 'Background' };
      if (ri === PODS) {
        // There are no node agents yet to finish a graceful delete: a pod that is not bound, or is
        // bound to a node that does not exist, would hold the namespace forever — remove it now.
        // Pods on a real node get the normal graceful delete and keep the namespace waiting.
        nodeNames ??= await listNodeNames(registry);
        const node = obj.spec?.nodeName as string | undefined;
        if (!node || !nodeNames.has(node)) opts.gracePeriodSeconds = 0;
        else if (obj.metadata.deletionTimestamp) {
          countRemaining(progress, ri, obj);
          continue;
        }
      } else if (obj.metadata.deletionTimestamp) {
        countRemaining(progress, ri, obj);
        continue;
      }
      try {
        const res = await registry.delete(ri, namespace, objName, opts);
        if (!res.deleted) countRemaining(progress, ri, res.object);
      } catch (err) {
        if (isNotFound(err)) continue;
        log?.warn({ err, namespace, resource: ri.plural, name: objName }, 'namespace content delete failed');
        progress.failures.push(`${ri.plural}/${objName}: ${(err as Error).message}`);
        countRemaining(progress, ri, obj);
      }
    }
  }
  return progress;
}

function countRemaining(p: DeletionProgress, ri: ResourceInfo, obj: KubeObject): void {
  const label = ri.group ? `${ri.plural}.${ri.group}` : ri.plural;
  p.remaining[label] = (p.remaining[label] ?? 0) + 1;
  for (const f of obj.metadata.finalizers ?? []) p.finalizers[f] = (p.finalizers[f] ?? 0) + 1;
}

async function listNodeNames(registry: Registry): Promise<Set<string>> {
  const nodes = await registry.list(NODES, undefined);
  return new Set(nodes.items.map((n) => n.metadata.name!));
}
