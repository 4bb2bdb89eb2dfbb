// Pod + container securityContext → Docker settings, with the kubelet's runAsNonRoot verification.
import type { KubeObject } from '../../api/types.js';
import { EnvError } from './errors.js';

export interface SecuritySettings {
  user?: string;
  groupAdd?: string[];
  privileged?: boolean;
  readOnlyRootfs?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  noNewPrivileges?: boolean;
}

/** The image's configured USER ("" when none); undefined when the image is not known. */
export type ImageUserLookup = (image: string) => string | undefined;

function capName(c: string): string {
  const up = String(c).toUpperCase();
  return up.startsWith('CAP_') ? up.slice(4) : up;
}

/** uid of an image USER "1000", "1000:100"; undefined for a name; 0 for none. */
function imageUid(user: string): number | undefined {
  const u = user.split(':', 1)[0];
  if (u === '') return 0;
  return /^\d+$/.test(u) ? Number(u) : undefined;
}

export function securitySettings(pod: KubeObject, container: KubeObject, imageUser?: ImageUserLookup): SecuritySettings {
  const psc = pod.spec?.securityContext ?? {};
  const csc = container.securityContext ?? {};
  const runAsUser: number | undefined = csc.runAsUser ?? psc.runAsUser;
  const runAsGroup: number | undefined = csc.runAsGroup ?? psc.runAsGroup;
  const runAsNonRoot: boolean | undefined = csc.runAsNonRoot ?? psc.runAsNonRoot;
  const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
  const out: SecuritySettings = {};

  // 1. runAsNonRoot: an explicit uid decides; otherwise the image's USER (unknown image → root)
  if (runAsNonRoot) {
    if (runAsUser !== undefined) {
      if (runAsUser === 0) throw new EnvError(`container's runAsUser breaks non-root policy (pod: "${podRef}", container: ${container.name})`);
    } else {
      const user = imageUser?.(container.image) ?? '';
      const uid = imageUid(user);
      if (uid === 0) throw new EnvError(`container has runAsNonRoot and image will run as root (pod: "${podRef}", container: ${container.name})`);
      if (uid === undefined) {
        throw new EnvError(`container has runAsNonRoot and image has non-numeric user (${user.split(':', 1)[0]}), cannot verify user is non-root (pod: "${podRef}", container: ${container.name})`);
      }
    }
  }

  // 2. user: Docker's "uid[:gid]"; a group alone keeps the image's user (root when unknown)
  if (runAsUser !== undefined) out.user = runAsGroup !== undefined ? `${runAsUser}:${runAsGroup}` : String(runAsUser);
  else if (runAsGroup !== undefined) {
    const imgUser = (imageUser?.(container.image) ?? '').split(':', 1)[0];
    out.user = `${imgUser || '0'}:${runAsGroup}`;
  }

  // 3. groups: supplementalGroups and fsGroup are pod-level only
  const groups = new Set<string>();
  for (const g of (psc.supplementalGroups ?? []) as number[]) groups.add(String(g));
  if (psc.fsGroup !== undefined) groups.add(String(psc.fsGroup));
  if (groups.size) out.groupAdd = [...groups];

  // 4. container-only settings
  if (csc.privileged) out.privileged = true;
  if (csc.readOnlyRootFilesystem) out.readOnlyRootfs = true;
  const add = (csc.capabilities?.add ?? []) as string[];
  const drop = (csc.capabilities?.drop ?? []) as string[];
  if (add.length) out.capAdd = add.map(capName);
  if (drop.length) out.capDrop = drop.map(capName);
  if (csc.allowPrivilegeEscalation === false) out.noNewPrivileges = true;
  return out;
}
