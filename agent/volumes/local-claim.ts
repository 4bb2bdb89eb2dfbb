// persistentVolumeClaim volumes backed by node-local directories: the apiserver's local provisioner
// binds the claim to a PV pinned to this node, whose data lives in
// `<agent data dir>/local-volumes/<namespace>/<claim>` (the PV's spec.local.path, relative to the
// data dir). The directory outlives the pod: a StatefulSet pod recreated here finds its data.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { VolumeError } from '../podworker/deps.js';

const SAFE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** The claim's directory (created when missing); podsRoot is the volume manager's `<data dir>/pods`. */
export async function ensureClaimDir(podsRoot: string, namespace: string | undefined, claim: string | undefined): Promise<string> {
  if (!namespace || !claim || !SAFE.test(namespace) || !SAFE.test(claim)) {
    throw new VolumeError(`invalid persistentVolumeClaim ${JSON.stringify(claim)} in namespace ${JSON.stringify(namespace)}`);
  }
  const dir = join(dirname(podsRoot), 'local-volumes', namespace, claim);
  await mkdir(dir, { recursive: true, mode: 0o777 });
  return dir;
}
