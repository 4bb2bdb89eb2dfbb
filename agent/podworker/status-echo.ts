// Every status the agent writes comes back from the apiserver as a pod update (new
// resourceVersion, same pod). Syncing on it only repeats the sync that produced it — in a burst
// that is one extra list-and-plan per pod per status write — so such an echo is recognized and
// skipped. Anything else (spec, labels, annotations, deletion, a status someone else changed)
// still syncs. Pure.
import type { KubeObject } from '../../api/types.js';
import { canonicalJson } from '../status-manager.js';

/** metadata without the fields a status write changes */
function stableMeta(m: KubeObject['metadata']): Record<string, unknown> {
  const { resourceVersion: _rv, managedFields: _mf, ...rest } = m ?? {};
  return rest;
}

export function isOwnStatusEcho(prev: KubeObject, next: KubeObject, lastStatus: Record<string, any> | undefined): boolean {
  if (!lastStatus || next.metadata.deletionTimestamp) return false;
  if (canonicalJson(next.status) !== canonicalJson(lastStatus)) return false;
  return canonicalJson(next.spec) === canonicalJson(prev.spec) && canonicalJson(stableMeta(next.metadata)) === canonicalJson(stableMeta(prev.metadata));
}
