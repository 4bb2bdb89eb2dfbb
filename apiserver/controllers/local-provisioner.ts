// A local-volume provisioner with WaitForFirstConsumer binding: a Pending PersistentVolumeClaim
// gets a PersistentVolume once a pod using it is bound to a node. The PV is a directory on that
// node (the agent mounts `<agent data dir>/local-volumes/<namespace>/<claim>`, see
// agent/volumes/local-claim.ts) and carries node affinity to it, so the data stays where it was
// written: controllers pin later pods of the claim to that node (volumeNodeTerms). A claim's
// deletion deletes its PV when the reclaim policy says Delete.
import { resourceFor } from '../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { isAlreadyExists, isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { PODS, splitKey } from './owned-pods.js';
import { runController, type ControllerHandle } from './run-controller.js';

export const PVCS = resourceFor('', 'persistentvolumeclaims')!;
export const PVS = resourceFor('', 'persistentvolumes')!;
export const PROVISIONER_USER: UserInfo = { name: 'system:serviceaccount:kube-system:persistent-volume-binder', groups: ['system:masters'] };
export const LOCAL_STORAGE_CLASS = 'local';
const write = { user: PROVISIONER_USER, fieldManager: 'local-provisioner' };

export const pvNameFor = (pvc: KubeObject): string => `pvc-${pvc.metadata.uid}`;
/** where the agent keeps a claim's data, relative to its data dir */
export const localPathFor = (namespace: string, claim: string): string => `local-volumes/${namespace}/${claim}`;

const claimsOfPod = (pod: KubeObject): string[] =>
  ((pod.spec?.volumes ?? []) as KubeObject[]).map((v) => v.persistentVolumeClaim?.claimName).filter((c): c is string => !!c);

/** The PV for a claim first used on `node`. Pure. */
export function localPvFor(pvc: KubeObject, node: string): KubeObject {
  const ns = pvc.metadata.namespace!;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: pvNameFor(pvc), annotations: { 'pv.kubernetes.io/provisioned-by': 'kinglet.io/local' } },
    spec: {
      capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' },
      accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: pvc.spec?.storageClassName ?? LOCAL_STORAGE_CLASS,
      volumeMode: 'Filesystem',
      local: { path: localPathFor(ns, pvc.metadata.name!) },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } },
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: ns, name: pvc.metadata.name, uid: pvc.metadata.uid },
    },
  };
}

/** Pod node-affinity terms that also satisfy every bound PV's node affinity (terms AND together). */
type Term = { matchExpressions?: unknown[]; matchFields?: unknown[] };

export function volumeNodeTerms(podTerms: Term[] | undefined, pvs: KubeObject[]): Term[] | undefined {
  let terms = podTerms;
  for (const pv of pvs) {
    const pvTerms: Term[] | undefined = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
    if (!pvTerms?.length) continue;
    terms = !terms?.length
      ? pvTerms
      : terms.flatMap((t) => pvTerms.map((v) => ({
          matchExpressions: [...(t.matchExpressions ?? []), ...(v.matchExpressions ?? [])],
          matchFields: [...(t.matchFields ?? []), ...(v.matchFields ?? [])],
        })));
  }
  return terms;
}

export function startLocalProvisioner(registry: Registry, opts: { signal: AbortSignal; log: Logger; resyncMs?: number }): ControllerHandle {
  return runController({
    name: 'local-provisioner',
    registry,
    signal: opts.signal,
    log: opts.log,
    resyncMs: opts.resyncMs ?? 60_000,
    watches: [
      {
        ri: PVCS,
        keyOf: (pvc, type) => (type === 'DELETED' ? (pvc.spec?.volumeName ? `pv:${pvc.spec.volumeName}` : undefined) : `${pvc.metadata.namespace}/${pvc.metadata.name}`),
      },
      { ri: PODS, keyOf: (pod) => (pod.spec?.nodeName ? claimsOfPod(pod).map((c) => `${pod.metadata.namespace}/${c}`) : undefined) },
    ],
    sync: (key) => (key.startsWith('pv:') ? releaseVolume(registry, key.slice(3), opts.log) : bindClaim(registry, key, opts.log)),
  });
}

async function bindClaim(registry: Registry, key: string, log: Logger): Promise<void> {
  const { namespace, name } = splitKey(key);
  // 1. A Pending claim of our class (or of none), not yet bound.
  let pvc: KubeObject;
  try {
    pvc = await registry.get(PVCS, namespace, name);
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  if (pvc.metadata.deletionTimestamp || pvc.status?.phase === 'Bound') return;
  const cls = pvc.spec?.storageClassName;
  if (cls && cls !== LOCAL_STORAGE_CLASS) return;
  // 2. Its first consumer's node decides where the data lives.
  const pods = (await registry.list(PODS, namespace)).items;
  const user = pods.find((p) => p.spec?.nodeName && !p.metadata.deletionTimestamp && claimsOfPod(p).includes(name));
  let node: string | undefined = user?.spec.nodeName;
  if (!node && !pvc.spec?.volumeName) return;
  // 3. The PV (kept if it exists: a retry after a half-done bind), then the claim's side.
  const pvName = pvc.spec?.volumeName ?? pvNameFor(pvc);
  if (node && !pvc.spec?.volumeName) {
    try {
      await registry.create(PVS, undefined, localPvFor(pvc, node), write);
      log.info({ pvc: key, pv: pvName, node }, 'local volume provisioned');
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
  const pv = await registry.get(PVS, undefined, pvName);
  node ??= pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
  if (pv.status?.phase !== 'Bound') {
    await registry.guaranteedUpdate(PVS, undefined, pvName, (cur) => ({ ...cur!, status: { phase: 'Bound' } }), { ...write, subresource: 'status' });
  }
  await registry.guaranteedUpdate(PVCS, namespace, name, (cur) => {
    cur!.spec.volumeName = pvName;
    cur!.metadata.annotations = {
      ...(cur!.metadata.annotations ?? {}),
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      ...(node ? { 'volume.kubernetes.io/selected-node': node } : {}),
    };
    return cur!;
  }, write);
  await registry.guaranteedUpdate(PVCS, namespace, name, (cur) => {
    cur!.status = { phase: 'Bound', accessModes: pv.spec.accessModes, capacity: pv.spec.capacity };
    return cur!;
  }, { ...write, subresource: 'status' });
}

async function releaseVolume(registry: Registry, pvName: string, log: Logger): Promise<void> {
  let pv: KubeObject;
  try {
    pv = await registry.get(PVS, undefined, pvName);
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  const ref = pv.spec?.claimRef;
  const claim = ref ? await registry.get(PVCS, ref.namespace, ref.name).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e))) : undefined;
  if (claim && claim.metadata.uid === ref.uid) return;
  if (pv.spec?.persistentVolumeReclaimPolicy === 'Delete') {
    await registry.delete(PVS, undefined, pvName, write).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
    log.info({ pv: pvName }, 'claim deleted; local volume released');
  } else if (pv.status?.phase !== 'Released') {
    await registry.guaranteedUpdate(PVS, undefined, pvName, (cur) => ({ ...cur!, status: { phase: 'Released', lastPhaseTransitionTime: nowRfc3339() } }), { ...write, subresource: 'status' });
  }
}
