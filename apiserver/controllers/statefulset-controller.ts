// StatefulSet controller: per StatefulSet, record the template as a ControllerRevision, plan with
// planStatefulSet() over its pods, then act — delete pods, create claims and pods (pinned to the
// node holding their local volumes), write status, trim old revisions.
import { resourceFor } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { Clock } from '../../lib/clock.js';
import { isAlreadyExists, isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { PVCS, PVS, volumeNodeTerms } from './local-provisioner.js';
import { eventSink, type EventSink } from './controller-events.js';
import { deleteIfPresent, getLive, runRequeueingController, writeStatusIfChanged } from './controller-kit.js';
import { ensureRevision, listRevisions, trimRevisions } from './controller-revisions.js';
import { keyOf, listOwnedPods, ownerKeyOfPod, PODS, podFromTemplate, splitKey, templateHash } from './owned-pods.js';
import type { ControllerHandle } from './run-controller.js';
import { claimsFor, claimsToRelease, planStatefulSet, POD_INDEX_LABEL, POD_NAME_LABEL, STS_REVISION_LABEL } from './statefulset-plan.js';

export const STATEFULSETS = resourceFor('apps', 'statefulsets')!;
export const STS_CONTROLLER_USER: UserInfo = { name: 'system:serviceaccount:kube-system:statefulset-controller', groups: ['system:masters'] };
const write = { user: STS_CONTROLLER_USER, fieldManager: 'statefulset-controller' };

export interface StatefulSetControllerOptions {
  signal: AbortSignal;
  log: Logger;
  clock?: Clock;
  resyncMs?: number;
}

/** Pod `ordinal` of the set from a template: stable name, hostname/subdomain, its claims as volumes. */
export function statefulPod(sts: KubeObject, ordinal: number, template: KubeObject, revision: string): KubeObject {
  const name = `${sts.metadata.name}-${ordinal}`;
  const claims = claimsFor(sts, ordinal);
  return podFromTemplate(sts, STATEFULSETS, template, {
    name,
    labels: { [STS_REVISION_LABEL]: revision, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) },
    mutateSpec: (spec) => {
      spec.hostname = name;
      if (sts.spec?.serviceName) spec.subdomain = sts.spec.serviceName;
      const tmpl: KubeObject[] = sts.spec?.volumeClaimTemplates ?? [];
      const vols = ((spec.volumes ?? []) as { name: string }[]).filter((v) => !tmpl.some((t) => t.metadata?.name === v.name));
      spec.volumes = [...vols, ...tmpl.map((t, i) => ({ name: t.metadata?.name, persistentVolumeClaim: { claimName: claims[i].metadata.name } }))];
      if (!spec.volumes.length) delete spec.volumes;
    },
  });
}

export function startStatefulSetController(registry: Registry, opts: StatefulSetControllerOptions): ControllerHandle {
  const events = eventSink(registry, 'statefulset-controller', STS_CONTROLLER_USER, opts.log);
  return runRequeueingController(registry, {
    name: 'statefulset',
    signal: opts.signal,
    log: opts.log,
    clock: opts.clock,
    resyncMs: opts.resyncMs ?? 30_000,
    watches: [
      { ri: STATEFULSETS, keyOf: (s) => keyOf(s) },
      { ri: PODS, keyOf: ownerKeyOfPod('StatefulSet') },
    ],
    // 0 (minReadySeconds: 0) is no reason to look again
    sync: async (key, nowMs) => (await syncStatefulSet(registry, key, nowMs, opts.log, events)) || undefined,
  });
}

export async function syncStatefulSet(registry: Registry, key: string, nowMs: number, log: Logger, events?: EventSink): Promise<number | undefined> {
  const { namespace, name } = splitKey(key);
  // 1. The set, its pods and its revisions; the current template becomes a revision if new.
  const sts = await getLive(registry, STATEFULSETS, namespace, name);
  if (!sts) return undefined;
  const pods = await listOwnedPods(registry, sts);
  const hash = templateHash(sts.spec.template);
  const update = `${name}-${hash}`;
  const revisions = await ensureRevision(registry, sts, STATEFULSETS, hash, await listRevisions(registry, sts), write);
  const current = sts.status?.currentRevision && revisions.some((r) => r.metadata.name === sts.status.currentRevision) ? sts.status.currentRevision : update;
  const templateOf = (rev: string) => revisions.find((r) => r.metadata.name === rev)?.data?.spec?.template ?? sts.spec.template;

  // 2. Plan and act: deletions, then claims and pods.
  const plan = planStatefulSet(sts, pods, { current, update }, nowMs);
  for (const pod of plan.delete) {
    log.info({ statefulset: key, pod: `${namespace}/${pod}` }, 'deleting stateful pod');
    await deleteIfPresent(registry, PODS, namespace, pod, write);
    events?.(sts, STATEFULSETS, 'Normal', 'SuccessfulDelete', `delete Pod ${pod} in StatefulSet ${name} successful`);
  }
  for (const c of plan.create) {
    const pod = statefulPod(sts, c.ordinal, templateOf(c.revision), c.revision);
    await pinToVolumes(registry, pod, claimsFor(sts, c.ordinal));
    try {
      await registry.create(PODS, namespace, pod, write);
      log.info({ statefulset: key, pod: `${namespace}/${pod.metadata.name}` }, 'stateful pod created');
      events?.(sts, STATEFULSETS, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${name} successful`);
    } catch (e) {
      // the old pod of that name is still going away; its DELETED event brings us back
      if (!isAlreadyExists(e)) throw e;
    }
  }
  // 3. Claims of ordinals scaled away (whenScaled: Delete), status when changed, old revisions.
  if (sts.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') {
    const claims = (await registry.list(PVCS, namespace)).items.map((c) => c.metadata.name!);
    for (const c of claimsToRelease(sts, pods, claims)) {
      log.info({ statefulset: key, pvc: `${namespace}/${c}` }, 'deleting claim of a scaled-away ordinal');
      await deleteIfPresent(registry, PVCS, namespace, c, write);
    }
  }
  await writeStatusIfChanged(registry, STATEFULSETS, sts, plan.status, write);
  const live = new Set([plan.status.currentRevision, update, ...pods.map((p) => p.metadata.labels?.[STS_REVISION_LABEL])]);
  await trimRevisions(registry, sts, revisions, live, write);
  // minReadySeconds: availability changes with time alone
  return sts.spec?.minReadySeconds && plan.status.availableReplicas !== plan.status.readyReplicas ? 1000 : undefined;
}

/** Create missing claims; pin the pod to the node of claims already bound to a local volume. */
async function pinToVolumes(registry: Registry, pod: KubeObject, claims: KubeObject[]): Promise<void> {
  const pvs: KubeObject[] = [];
  for (const claim of claims) {
    let pvc: KubeObject;
    try {
      pvc = await registry.create(PVCS, claim.metadata.namespace, claim, write);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      pvc = await registry.get(PVCS, claim.metadata.namespace, claim.metadata.name!);
    }
    if (pvc.spec?.volumeName) {
      const pv = await registry.get(PVS, undefined, pvc.spec.volumeName).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
      if (pv) pvs.push(pv);
    }
  }
  const na = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = volumeNodeTerms(na?.nodeSelectorTerms, pvs);
  if (terms?.length && pvs.length) {
    pod.spec.affinity ??= {};
    pod.spec.affinity.nodeAffinity ??= {};
    pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: terms };
  }
}
