// ControllerRevisions: the template history of a StatefulSet or DaemonSet (what `kubectl rollout
// history|undo` read). One revision per distinct template, named <owner>-<hash>; going back to an
// old template renumbers its revision to the newest, as Kubernetes does.
import type { ResourceInfo } from '../../api/resources.js';
import { resourceFor } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { isAlreadyExists, isNotFound } from '../../lib/errors.js';
import type { Registry, WriteOptions } from '../registry/types.js';
import { controllerUid, ownerRefTo } from './owned-pods.js';

export const REVISIONS = resourceFor('apps', 'controllerrevisions')!;

export async function listRevisions(registry: Registry, owner: KubeObject): Promise<KubeObject[]> {
  return (await registry.list(REVISIONS, owner.metadata.namespace)).items.filter((r) => controllerUid(r) === owner.metadata.uid);
}

/** Make sure the owner's current template has a revision that is the newest; returns all revisions. */
export async function ensureRevision(registry: Registry, owner: KubeObject, ri: ResourceInfo, hash: string, revisions: KubeObject[], write: WriteOptions): Promise<KubeObject[]> {
  const name = `${owner.metadata.name}-${hash}`;
  const newest = Math.max(0, ...revisions.map((r) => r.revision ?? 0));
  const have = revisions.find((r) => r.metadata.name === name);
  if (have) {
    if ((have.revision ?? 0) >= newest) return revisions;
    const bumped = await registry.guaranteedUpdate(REVISIONS, owner.metadata.namespace, name, (cur) => ({ ...cur!, revision: newest + 1 }), write);
    return revisions.map((r) => (r === have ? bumped.object : r));
  }
  const rev: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: { ...(owner.spec?.selector?.matchLabels ?? {}), 'controller.kubernetes.io/hash': hash },
      ownerReferences: [ownerRefTo(owner, ri)],
    },
    data: { spec: { template: { ...structuredClone(owner.spec.template), $patch: 'replace' } } },
    revision: newest + 1,
  };
  try {
    return [...revisions, await registry.create(REVISIONS, owner.metadata.namespace, rev, write)];
  } catch (e) {
    if (isAlreadyExists(e)) return [...revisions, await registry.get(REVISIONS, owner.metadata.namespace, name)];
    throw e;
  }
}

/** Delete the oldest revisions no pod uses, beyond revisionHistoryLimit. */
export async function trimRevisions(registry: Registry, owner: KubeObject, revisions: KubeObject[], live: Set<string | undefined>, write: WriteOptions): Promise<void> {
  const old = revisions.filter((r) => !live.has(r.metadata.name)).sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  for (const r of old.slice(0, Math.max(0, old.length - (owner.spec?.revisionHistoryLimit ?? 10)))) {
    await registry.delete(REVISIONS, owner.metadata.namespace, r.metadata.name!, write).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  }
}
