// Deployment controller: owns ReplicaSets (adopt/release by selector), gives each template its
// ReplicaSet <name>-<pod-template-hash> with revision annotations, and rolls between them with
// RollingUpdate or Recreate; paused Deployments only scale. The decisions are the pure planners in
// deployment-rollout.ts and deployment-status.ts; this file reads, writes and requeues.
import { resourceFor } from '../../api/resources.js';
import { labelSelectorFromObject, matchesLabels } from '../../api/selectors.js';
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { isAlreadyExists, isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { EventRecorder } from '../scheduler/event-recorder.js';
import { controllerOf, controllerRefTo, isTerminal, nsKey, splitKey, withControllerRef, withoutOwner } from './controller-ref.js';
import { historyToDelete, isScalingEvent, newReplicaSetReplicas, planProportionalScale, planRecreate, planRolling, type Scales } from './deployment-rollout.js';
import { getCondition, hasProgressDeadline, isComplete, pausedCondition, REASON, rolloutStatus, calculateStatus, setCondition, statusDiffers, untilDeadlineMs } from './deployment-status.js';
import { isRolling, maxRevision, newReplicaSetAnnotations, newReplicaSetFor, replicasAnnotations, REVISION, splitReplicaSets } from './deployment-util.js';
import { ObjectCache } from './object-cache.js';
import { equalIgnoreHash } from './pod-template-hash.js';
import { runController, type ControllerHandle } from './run-controller.js';

export const DEPLOYMENT_CONTROLLER_USER: UserInfo = { name: 'system:serviceaccount:kube-system:deployment-controller', groups: ['system:masters'] };
const DEPLOYMENTS = resourceFor('apps', 'deployments')!;
const RS = resourceFor('apps', 'replicasets')!;
const PODS = resourceFor('', 'pods')!;
const write = { user: DEPLOYMENT_CONTROLLER_USER, fieldManager: 'deployment-controller' };

export interface DeploymentControllerOptions {
  signal: AbortSignal;
  log: Logger;
  clock?: Clock;
  resyncMs?: number;
  workers?: number;
}

export function startDeploymentController(registry: Registry, opts: DeploymentControllerOptions): ControllerHandle {
  const clock = opts.clock ?? realClock;
  const log = opts.log.child({ controller: 'deployment' });
  const deployments = new ObjectCache();
  const events = new EventRecorder(registry, { component: 'deployment-controller', user: DEPLOYMENT_CONTROLLER_USER, clock });
  const scaledEvent = (d: KubeObject, rs: string, from: number, to: number): void =>
    void events
      .record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs} from ${from} to ${to}`)
      .catch((err: unknown) => log.warn({ err }, 'event write failed'));
  // For Recreate: live (non-terminal) pods per ReplicaSet uid, and each ReplicaSet's Deployment.
  const podRs = new Map<string, string>();
  const podsPerRs = new Map<string, number>();
  const rsDeployment = new Map<string, string>();

  const matching = (obj: KubeObject): string[] =>
    deployments
      .list(obj.metadata.namespace!)
      .filter((d) => matchesLabels(labelSelectorFromObject(d.spec?.selector), obj.metadata.labels))
      .map(nsKey);

  const trackPod = (pod: KubeObject, type: string): string | undefined => {
    const uid = pod.metadata.uid!;
    const was = podRs.get(uid);
    const ref = controllerOf(pod);
    const now = type !== 'DELETED' && !isTerminal(pod) && ref?.kind === 'ReplicaSet' ? ref.uid : undefined;
    if (was === now) return undefined;
    if (was) podsPerRs.set(was, (podsPerRs.get(was) ?? 1) - 1);
    if (now) podsPerRs.set(now, (podsPerRs.get(now) ?? 0) + 1);
    if (now) podRs.set(uid, now);
    else podRs.delete(uid);
    // only a pod going away matters (Recreate waits for it)
    return was && !now ? rsDeployment.get(was) : undefined;
  };

  const handle: ControllerHandle = runController({
    name: 'deployment',
    registry,
    signal: opts.signal,
    log: opts.log,
    clock,
    workers: opts.workers ?? 2,
    resyncMs: opts.resyncMs ?? 5 * 60_000,
    watches: [
      { ri: DEPLOYMENTS, keyOf: (d, type) => (deployments.apply(d, type), nsKey(d)) },
      {
        ri: RS,
        keyOf: (rs, type) => {
          const ref = controllerOf(rs);
          if (ref?.kind === 'Deployment') {
            const key = `${rs.metadata.namespace}/${ref.name}`;
            if (type === 'DELETED') rsDeployment.delete(rs.metadata.uid!);
            else rsDeployment.set(rs.metadata.uid!, key);
            return key;
          }
          return ref || type === 'DELETED' ? undefined : matching(rs);
        },
      },
      { ri: PODS, keyOf: (pod, type) => trackPod(pod, type) },
    ],
    sync: (key) => syncDeployment(key),
  });

  async function syncDeployment(key: string): Promise<void> {
    // before every watch has listed, Recreate would count no old pods and start the new ones too early
    if (!handle.hasSynced()) await handle.synced;
    const { namespace, name } = splitKey(key);
    // 1: the Deployment and the ReplicaSets it controls (claimed fresh from the store).
    let d: KubeObject;
    try {
      d = await registry.get(DEPLOYMENTS, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const now = new Date(clock.now());
    const rss = await claimReplicaSets(d);
    // 2: being deleted: report only, the garbage collector does the rest.
    if (d.metadata.deletionTimestamp) return writeStatus(d, calculateStatus(d, splitReplicaSets(d, rss).newRS, rss, now));
    const work = structuredClone(d);
    work.status ??= {};
    pausedCondition(work, work.status, now);
    // 3: paused or resized: scale only.
    if (d.spec?.paused || isScalingEvent(d, rss)) {
      const { newRS, oldRSs } = await syncRevision(work, rss, false, now);
      const all = await applyScales(work, rss, planProportionalScale(work, newRS, oldRSs));
      if (d.spec?.paused) await cleanup(work, oldRSs);
      const s = calculateStatus(work, newRS && all.find((r) => r.metadata.uid === newRS.metadata.uid), all, now);
      return writeStatus(d, s);
    }
    // 4: roll.
    let { newRS, oldRSs } = await syncRevision(work, rss, isRolling(d), now);
    let all = rss;
    if (!isRolling(d)) {
      const running = oldRSs.some((rs) => (podsPerRs.get(rs.metadata.uid!) ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0);
      const step = planRecreate(work, newRS, oldRSs, running);
      if (step.createNew) ({ newRS, oldRSs } = await syncRevision(work, rss, true, now));
      all = await applyScales(work, [...(newRS ? [newRS] : []), ...oldRSs], step.createNew && newRS ? new Map([[newRS.metadata.name!, work.spec.replicas]]) : step.scales);
    } else if (newRS) {
      all = await applyScales(work, [newRS, ...oldRSs], planRolling(work, newRS, oldRSs));
    }
    const cur = newRS ? all.find((r) => r.metadata.uid === newRS!.metadata.uid) : undefined;
    const s = rolloutStatus(work, cur, all, now);
    if (isComplete(work, s)) await cleanup(work, all.filter((r) => r !== cur));
    await writeStatus(d, s);
    const wait = untilDeadlineMs(work, s, now);
    if (wait !== undefined) handle.enqueueAfter(key, wait);
  }

  /** Owned ReplicaSets after adopting matching orphans and releasing owned ones that stopped matching. */
  async function claimReplicaSets(d: KubeObject): Promise<KubeObject[]> {
    const sel = labelSelectorFromObject(d.spec?.selector);
    const list = (await registry.list(RS, d.metadata.namespace)).items;
    const out: KubeObject[] = [];
    for (const rs of list) {
      const ref = controllerOf(rs);
      const matches = sel.length > 0 && matchesLabels(sel, rs.metadata.labels);
      if (ref?.uid === d.metadata.uid) {
        if (matches) out.push(rs);
        else await setOwners(rs, withoutOwner(rs, d.metadata.uid!));
      } else if (!ref && matches && !d.metadata.deletionTimestamp && !rs.metadata.deletionTimestamp) {
        const adopted = await setOwners(rs, withControllerRef(rs, controllerRefTo(d, 'apps/v1', 'Deployment')));
        if (adopted) out.push(adopted);
      }
    }
    return out;
  }

  async function setOwners(rs: KubeObject, refs: KubeObject['metadata']['ownerReferences']): Promise<KubeObject | undefined> {
    return mutateRs(rs, (cur) => {
      cur.metadata.ownerReferences = refs;
    });
  }

  async function mutateRs(rs: KubeObject, fn: (cur: KubeObject) => void): Promise<KubeObject | undefined> {
    try {
      const res = await registry.guaranteedUpdate(RS, rs.metadata.namespace, rs.metadata.name!, (cur) => {
        if (!cur || cur.metadata.uid !== rs.metadata.uid) return cur!;
        fn(cur);
        return cur;
      }, write);
      return res.object;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * getAllReplicaSetsAndSyncRevision: the new ReplicaSet gets revision max(old)+1 (created when
   * asked and missing), the Deployment mirrors its revision, Progressing notes what happened.
   */
  async function syncRevision(d: KubeObject, rss: KubeObject[], create: boolean, now: Date): Promise<{ newRS?: KubeObject; oldRSs: KubeObject[] }> {
    let { newRS, oldRSs } = splitReplicaSets(d, rss);
    const revision = maxRevision(oldRSs) + 1;
    if (newRS) {
      const ann = newReplicaSetAnnotations(d, newRS, revision);
      const minReady = d.spec?.minReadySeconds ?? 0;
      if (ann || (newRS.spec?.minReadySeconds ?? 0) !== minReady) {
        newRS = (await mutateRs(newRS, (cur) => {
          if (ann) cur.metadata.annotations = ann;
          cur.spec.minReadySeconds = minReady;
        })) ?? newRS;
      }
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing'))
        setCondition(d.status, { type: 'Progressing', status: 'True', reason: REASON.found, message: `Found new replica set "${newRS.metadata.name}"` }, now);
    } else if (create) {
      const replicas = newReplicaSetReplicas(d, oldRSs, undefined);
      const want = newReplicaSetFor(d, revision, replicas);
      try {
        newRS = await registry.create(RS, d.metadata.namespace, want, write);
        log.info({ deployment: nsKey(d), rs: want.metadata.name, replicas, revision }, 'created new replica set');
        if (replicas > 0) scaledEvent(d, want.metadata.name!, 0, replicas);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        const existing = await registry.get(RS, d.metadata.namespace, want.metadata.name!);
        if (controllerOf(existing)?.uid !== d.metadata.uid || !equalIgnoreHash(existing.spec?.template, d.spec?.template)) {
          // a hash collision: a different template already has this name; try the next hash
          await registry.guaranteedUpdate(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!, (cur) => {
            cur!.status = { ...(cur!.status ?? {}), collisionCount: (cur!.status?.collisionCount ?? 0) + 1 };
            return cur!;
          }, { ...write, subresource: 'status' });
          throw err;
        }
        newRS = existing;
      }
      if (hasProgressDeadline(d))
        setCondition(d.status, { type: 'Progressing', status: 'True', reason: REASON.created, message: `Created new replica set "${newRS.metadata.name}"` }, now);
      rss = [...rss, newRS];
    }
    const rev = newRS?.metadata.annotations?.[REVISION];
    if (rev && d.metadata.annotations?.[REVISION] !== rev) await setDeploymentRevision(d, rev);
    return { newRS, oldRSs: rss.filter((r) => r.metadata.uid !== newRS?.metadata.uid) };
  }

  async function setDeploymentRevision(d: KubeObject, rev: string): Promise<void> {
    try {
      await registry.guaranteedUpdate(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!, (cur) => {
        if (!cur || cur.metadata.uid !== d.metadata.uid) return cur!;
        cur.metadata.annotations = { ...(cur.metadata.annotations ?? {}), [REVISION]: rev };
        return cur;
      }, write);
      d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: rev };
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Resize ReplicaSets (with the desired/max-replicas annotations); returns the list as it now is. */
  async function applyScales(d: KubeObject, rss: KubeObject[], scales: Scales): Promise<KubeObject[]> {
    const out: KubeObject[] = [];
    for (const rs of rss) {
      const n = scales.get(rs.metadata.name!);
      if (n === undefined) {
        out.push(rs);
        continue;
      }
      const updated = await mutateRs(rs, (cur) => {
        cur.spec.replicas = n;
        cur.metadata.annotations = { ...(cur.metadata.annotations ?? {}), ...replicasAnnotations(d) };
      });
      const from = rs.spec?.replicas ?? 0;
      log.info({ deployment: nsKey(d), rs: rs.metadata.name, from, to: n }, 'scaled replica set');
      scaledEvent(d, rs.metadata.name!, from, n);
      if (updated) out.push(updated);
    }
    return out;
  }

  async function cleanup(d: KubeObject, oldRSs: KubeObject[]): Promise<void> {
    for (const rs of historyToDelete(d, oldRSs)) {
      try {
        await registry.delete(RS, rs.metadata.namespace, rs.metadata.name!, { ...write, propagationPolicy: 'Background', preconditions: { uid: rs.metadata.uid } });
        log.info({ deployment: nsKey(d), rs: rs.metadata.name }, 'deleted old replica set beyond revisionHistoryLimit');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  async function writeStatus(d: KubeObject, s: any): Promise<void> {
    if (!statusDiffers(d.status, s)) return;
    try {
      await registry.guaranteedUpdate(DEPLOYMENTS, d.metadata.namespace, d.metadata.name!, (cur) => {
        if (!cur || cur.metadata.uid !== d.metadata.uid) return cur!;
        cur.status = s;
        return cur;
      }, { ...write, subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  return handle;
}
