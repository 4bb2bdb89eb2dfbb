// DaemonSet controller: per DaemonSet, plan with planDaemonSet() over the nodes and its pods, then
// delete, create (pods pinned to their node by affinity; the scheduler binds them) and write status.
// Any node change looks at every DaemonSet again: a new node gets its daemon pods.
import { resourceFor } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { eventSink, type EventSink } from './controller-events.js';
import { deleteIfPresent, getLive, runRequeueingController, writeStatusIfChanged } from './controller-kit.js';
import { ensureRevision, listRevisions, trimRevisions } from './controller-revisions.js';
import { pinToNode, planDaemonSet, REVISION_LABEL } from './daemonset-plan.js';
import { keyOf, listOwnedPods, ownerKeyOfPod, PODS, podFromTemplate, splitKey } from './owned-pods.js';
import type { ControllerHandle } from './run-controller.js';

export const DAEMONSETS = resourceFor('apps', 'daemonsets')!;
const NODES = resourceFor('', 'nodes')!;
export const DAEMONSET_CONTROLLER_USER: UserInfo = { name: 'system:serviceaccount:kube-system:daemon-set-controller', groups: ['system:masters'] };
const write = { user: DAEMONSET_CONTROLLER_USER, fieldManager: 'daemon-set-controller' };

export interface DaemonSetControllerOptions {
  signal: AbortSignal;
  log: Logger;
  clock?: Clock;
  resyncMs?: number;
}

export function daemonPod(ds: KubeObject, node: string, hash: string): KubeObject {
  return podFromTemplate(ds, DAEMONSETS, ds.spec.template, {
    generateName: `${ds.metadata.name}-`,
    labels: { [REVISION_LABEL]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
    mutateSpec: (spec) => pinToNode(spec, node),
  });
}

export function startDaemonSetController(registry: Registry, opts: DaemonSetControllerOptions): ControllerHandle {
  const events = eventSink(registry, 'daemonset-controller', DAEMONSET_CONTROLLER_USER, opts.log);
  const daemonSets = new Set<string>();
  // what of a node matters to placement; heartbeats alone do not wake every DaemonSet
  const nodeShape = new Map<string, string>();
  return runRequeueingController(registry, {
    name: 'daemonset',
    signal: opts.signal,
    log: opts.log,
    clock: opts.clock,
    resyncMs: opts.resyncMs ?? 30_000,
    watches: [
      {
        ri: DAEMONSETS,
        keyOf: (ds, type) => {
          if (type === 'DELETED') daemonSets.delete(keyOf(ds));
          else daemonSets.add(keyOf(ds));
          return keyOf(ds);
        },
      },
      { ri: PODS, keyOf: ownerKeyOfPod('DaemonSet') },
      {
        ri: NODES,
        keyOf: (node, type) => {
          const name = node.metadata.name!;
          const shape = type === 'DELETED' ? '' : JSON.stringify([node.metadata.labels, node.spec?.taints, node.spec?.unschedulable]);
          if (nodeShape.get(name) === shape) return undefined;
          if (type === 'DELETED') nodeShape.delete(name);
          else nodeShape.set(name, shape);
          return [...daemonSets];
        },
      },
    ],
    sync: (key, nowMs) => syncDaemonSet(registry, key, nowMs, opts.log, events),
  });
}

export async function syncDaemonSet(registry: Registry, key: string, nowMs: number, log: Logger, events?: EventSink): Promise<number | undefined> {
  const { namespace, name } = splitKey(key);
  // 1. The DaemonSet, the nodes, its pods.
  const ds = await getLive(registry, DAEMONSETS, namespace, name);
  if (!ds) return undefined;
  const nodes = (await registry.list(NODES, undefined)).items;
  const pods = await listOwnedPods(registry, ds);
  const plan = planDaemonSet(ds, nodes, pods, nowMs);
  const revisions = await ensureRevision(registry, ds, DAEMONSETS, plan.hash, await listRevisions(registry, ds), write);
  // 2. Delete, then create.
  for (const pod of plan.delete) {
    await deleteIfPresent(registry, PODS, namespace, pod, write);
    events?.(ds, DAEMONSETS, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod}`);
  }
  for (const node of plan.create) {
    const pod = await registry.create(PODS, namespace, daemonPod(ds, node, plan.hash), write);
    log.debug({ daemonset: key, pod: `${namespace}/${pod.metadata.name}`, node }, 'daemon pod created');
    events?.(ds, DAEMONSETS, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  }
  // 3. Status when changed.
  await writeStatusIfChanged(registry, DAEMONSETS, ds, plan.status, write);
  const live = new Set([`${name}-${plan.hash}`, ...pods.map((p) => `${name}-${p.metadata.labels?.[REVISION_LABEL]}`)]);
  await trimRevisions(registry, ds, revisions, live, write);
  // minReadySeconds: availability changes with time alone
  return (ds.spec?.minReadySeconds ?? 0) > 0 && plan.status.numberAvailable !== plan.status.desiredNumberScheduled ? 1000 : undefined;
}
