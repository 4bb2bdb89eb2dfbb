// ReplicaSet controller: keeps spec.replicas active pods matching the selector. Pods come from a
// watch-fed cache; expectations hold a key back until the pods it created or deleted have been
// seen, so a burst never overshoots. Creations go in slow-start batches (1, 2, 4, ...).
import { resourceFor } from '../../api/resources.js';
import { labelSelectorFromObject, matchesLabels } from '../../api/selectors.js';
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { EventRecorder } from '../scheduler/event-recorder.js';
import { controllerOf, controllerRefTo, nextAvailableInMs, nsKey, splitKey, withControllerRef, withoutOwner } from './controller-ref.js';
import { Expectations } from './expectations.js';
import { ObjectCache } from './object-cache.js';
import { planReplicaSet, podFromTemplate, slowStartBatches, statusChanged, type ReplicaSetStatus } from './replicaset-plan.js';
import { runController, type ControllerHandle } from './run-controller.js';

export const REPLICASET_CONTROLLER_USER: UserInfo = { name: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:masters'] };
const RS = resourceFor('apps', 'replicasets')!;
const PODS = resourceFor('', 'pods')!;
const write = { user: REPLICASET_CONTROLLER_USER, fieldManager: 'replicaset-controller' };

export interface ReplicaSetControllerOptions {
  signal: AbortSignal;
  log: Logger;
  clock?: Clock;
  resyncMs?: number;
  workers?: number;
}

export function startReplicaSetController(registry: Registry, opts: ReplicaSetControllerOptions): ControllerHandle {
  const clock = opts.clock ?? realClock;
  const pods = new ObjectCache();
  const sets = new ObjectCache();
  const exp = new Expectations(clock);
  const log = opts.log.child({ controller: 'replicaset' });
  const events = new EventRecorder(registry, { component: 'replicaset-controller', user: REPLICASET_CONTROLLER_USER, clock });
  const event = (rs: KubeObject, type: 'Normal' | 'Warning', reason: string, msg: string): void =>
    void events.record(rs, type, reason, msg).catch((err: unknown) => log.warn({ err }, 'event write failed'));

  // Orphans go to every ReplicaSet whose selector matches (one of them adopts).
  const matchingSets = (pod: KubeObject): string[] =>
    sets
      .list(pod.metadata.namespace!)
      .filter((rs) => matchesLabels(labelSelectorFromObject(rs.spec?.selector), pod.metadata.labels))
      .map(nsKey);

  const handle: ControllerHandle = runController({
    name: 'replicaset',
    registry,
    signal: opts.signal,
    log: opts.log,
    clock,
    workers: opts.workers ?? 2,
    resyncMs: opts.resyncMs ?? 5 * 60_000,
    watches: [
      {
        ri: RS,
        keyOf: (rs, type) => {
          sets.apply(rs, type);
          if (type === 'DELETED') exp.forget(nsKey(rs));
          return nsKey(rs);
        },
      },
      {
        ri: PODS,
        keyOf: (pod, type) => {
          const prev = pods.apply(pod, type);
          const ref = controllerOf(pod);
          if (!ref) return type === 'DELETED' ? undefined : matchingSets(pod);
          if (ref.kind !== 'ReplicaSet') return undefined;
          const key = `${pod.metadata.namespace}/${ref.name}`;
          // what the expectations wait for: a new pod seen, a pod marked for deletion or gone
          if (type === 'ADDED' && !prev) exp.creationObserved(key);
          if (type === 'DELETED' || pod.metadata.deletionTimestamp) exp.deletionObserved(key, pod.metadata.uid!);
          return key;
        },
      },
    ],
    sync: (key) => syncReplicaSet(key),
  });

  async function syncReplicaSet(key: string): Promise<void> {
    // a sync before every watch has listed would see a partial cache (e.g. no pods: create them all again)
    if (!handle.hasSynced()) await handle.synced;
    const { namespace, name } = splitKey(key);
    // 1: the current object (a deleted one leaves nothing to do).
    let rs: KubeObject;
    try {
      rs = await registry.get(RS, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return exp.forget(key);
      throw err;
    }
    const now = new Date(clock.now());
    const plan = planReplicaSet(rs, pods.list(namespace), now);
    const ref = controllerRefTo(rs, 'apps/v1', 'ReplicaSet');
    // 2: adopt and release (a pod that changed meanwhile is left for the next pass).
    await Promise.all([
      ...plan.adopt.map((p) => setOwners(p, (cur) => !controllerOf(cur) && matchesLabels(labelSelectorFromObject(rs.spec?.selector), cur.metadata.labels), withControllerRef(p, ref))),
      ...plan.release.map((p) => setOwners(p, (cur) => controllerOf(cur)?.uid === rs.metadata.uid, withoutOwner(p, rs.metadata.uid!))),
    ]);
    // 3: create or delete, only once the previous round was observed.
    let failure: unknown;
    if (exp.satisfied(key)) {
      if (plan.create > 0) failure = await createPods(key, rs, plan.create);
      else if (plan.remove.length > 0) failure = await deletePods(key, rs, plan.remove);
    }
    // 4: status, then a wake-up for pods about to pass minReadySeconds.
    await writeStatus(rs, plan.status);
    const wait = nextAvailableInMs(plan.owned, rs.spec?.minReadySeconds ?? 0, now);
    if (wait !== undefined) handle.enqueueAfter(key, wait + 50);
    if (failure) throw failure;
  }

  async function setOwners(pod: KubeObject, still: (cur: KubeObject) => boolean, refs: KubeObject['metadata']['ownerReferences']): Promise<void> {
    try {
      await registry.guaranteedUpdate(PODS, pod.metadata.namespace, pod.metadata.name!, (cur) => {
        if (!cur || cur.metadata.uid !== pod.metadata.uid || !still(cur)) return cur!;
        cur.metadata.ownerReferences = refs;
        return cur;
      }, write);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async function createPods(key: string, rs: KubeObject, n: number): Promise<unknown> {
    exp.expectCreations(key, n);
    let made = 0;
    for (const size of slowStartBatches(n)) {
      const results = await Promise.allSettled(Array.from({ length: size }, () => registry.create(PODS, rs.metadata.namespace, podFromTemplate(rs), write)));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      for (const r of results) if (r.status === 'fulfilled') event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
      if (failed.length) event(rs, 'Warning', 'FailedCreate', `Error creating: ${(failed[0].reason as Error).message}`);
      made += size - failed.length;
      if (failed.length) {
        // the failed ones and the batches never tried will not show up in the watch
        exp.lowerCreations(key, n - made);
        log.warn({ rs: key, err: failed[0].reason, created: made, wanted: n }, 'replicaset pod creation failed');
        return failed[0].reason;
      }
    }
    log.info({ rs: key, created: made }, 'replicaset created pods');
    return undefined;
  }

  async function deletePods(key: string, rs: KubeObject, victims: KubeObject[]): Promise<unknown> {
    exp.expectDeletions(key, victims.map((p) => p.metadata.uid!));
    let failure: unknown;
    await Promise.all(
      victims.map(async (p) => {
        try {
          await registry.delete(PODS, p.metadata.namespace, p.metadata.name!, { ...write, preconditions: { uid: p.metadata.uid } });
          event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        } catch (err) {
          exp.deletionObserved(key, p.metadata.uid!);
          if (!isNotFound(err)) failure ??= err;
        }
      }),
    );
    log.info({ rs: key, deleted: victims.length }, 'replicaset deleted pods');
    return failure;
  }

  async function writeStatus(rs: KubeObject, next: ReplicaSetStatus): Promise<void> {
    if (!statusChanged(rs.status, next)) return;
    try {
      await registry.guaranteedUpdate(RS, rs.metadata.namespace, rs.metadata.name!, (cur) => {
        if (!cur || cur.metadata.uid !== rs.metadata.uid) return cur!;
        cur.status = { ...(cur.status ?? {}), ...next };
        return cur;
      }, { ...write, subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  return handle;
}
