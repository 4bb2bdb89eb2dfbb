// The pod's volumes on the host, kubelet-style. setup() is idempotent and runs on every sync, so
// a changed ConfigMap/Secret reaches the files through the AtomicWriter's ..data swap.
import { cpus, totalmem } from 'node:os';
import { chmod, chown, mkdir, open, realpath, rm, stat, truncate } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { tryParseQuantity } from '../../api/quantity.js';
import type { Logger } from '../../lib/logger.js';
import type { Allocatable } from '../container-config/field-ref.js';
import { VolumeError, type ObjectLookup, type PreparedVolumes, type VolumeManager } from '../podworker/deps.js';
import type { Mount } from '../runtime/runtime.js';
import { writeAtomic } from './atomic-writer.js';
import { checkHostPath } from './host-path.js';
import { ensureClaimDir } from './local-claim.js';
import { ensureTmpfs, mountsUnder, unmount } from './mount.js';
import { podDir, terminationLogPath, volumeDir, type PluginKind } from './paths.js';
import { volumePayload } from './payloads.js';

export interface HostVolumeManagerOptions {
  /** agent data dir + '/pods' */
  rootDir: string;
  log: Logger;
  /** node allocatable for downwardAPI resourceFieldRef defaults (default: this machine) */
  allocatable?: Allocatable;
}

/** PreparedVolumes plus, per container, the host file bound at its terminationMessagePath. */
export interface HostPreparedVolumes extends PreparedVolumes {
  terminationLogs: Record<string, string>;
}

interface ResolvedVolume {
  hostPath: string;
  /** API data volumes are always mounted read-only */
  readOnly: boolean;
}

const DEFAULT_TERMINATION_PATH = '/dev/termination-log';

export class HostVolumeManager implements VolumeManager {
  private readonly root: string;
  private readonly log: Logger;
  private readonly allocatable: Allocatable;

  constructor(opts: HostVolumeManagerOptions) {
    this.root = opts.rootDir;
    this.log = opts.log;
    this.allocatable = opts.allocatable ?? { cpu: cpus().length, memory: totalmem() };
  }

  async setup(pod: KubeObject, lookup: ObjectLookup): Promise<HostPreparedVolumes> {
    const uid = safeUid(pod.metadata.uid);
    // 1. every volume of the pod, resolved to a host path
    const volumes = new Map<string, ResolvedVolume>();
    for (const v of (pod.spec?.volumes ?? []) as KubeObject[]) {
      try {
        volumes.set(v.name, await this.setupVolume(pod, uid, v, lookup));
      } catch (e) {
        throw new VolumeError(`MountVolume.SetUp failed for volume "${v.name}" : ${(e as Error).message}`);
      }
    }
    // 2. per container: volumeMounts (subPath resolved now, as Kubernetes) and the termination log
    const out: HostPreparedVolumes = { mounts: {}, tmpfs: {}, terminationLogs: {} };
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])] as KubeObject[];
    for (const c of containers) {
      const mounts: Mount[] = [];
      for (const vm of (c.volumeMounts ?? []) as KubeObject[]) {
        const vol = volumes.get(vm.name);
        if (!vol) throw new VolumeError(`unable to find volume "${vm.name}" for container "${c.name}"`);
        const hostPath = vm.subPath ? await resolveSubPath(vol.hostPath, vm.subPath, vm.name) : vol.hostPath;
        mounts.push({ hostPath, containerPath: vm.mountPath, ...(vm.readOnly || vol.readOnly ? { readOnly: true } : {}) });
      }
      if (c.terminationMessagePath !== '') {
        const file = terminationLogPath(this.root, uid, c.name);
        await ensureFile(file);
        out.terminationLogs[c.name] = file;
        mounts.push({ hostPath: file, containerPath: c.terminationMessagePath ?? DEFAULT_TERMINATION_PATH });
      }
      out.mounts[c.name] = mounts;
      out.tmpfs[c.name] = {};
    }
    return out;
  }

  private async setupVolume(pod: KubeObject, uid: string, v: KubeObject, lookup: ObjectLookup): Promise<ResolvedVolume> {
    const fsGroup: number | undefined = pod.spec?.securityContext?.fsGroup;
    const dirFor = (kind: PluginKind) => volumeDir(this.root, uid, kind, v.name);
    if (v.hostPath) {
      await checkHostPath(v.hostPath.path, v.hostPath.type);
      return { hostPath: v.hostPath.path, readOnly: false };
    }
    if (v.persistentVolumeClaim) {
      return { hostPath: await ensureClaimDir(this.root, pod.metadata.namespace, v.persistentVolumeClaim.claimName), readOnly: !!v.persistentVolumeClaim.readOnly };
    }
    if (v.emptyDir) {
      const dir = dirFor('emptyDir');
      await mkdir(dir, { recursive: true });
      if (v.emptyDir.medium === 'Memory') {
        // a host tmpfs bound into every container, so the containers of a pod share it
        try {
          await ensureTmpfs(dir, tryParseQuantity(v.emptyDir.sizeLimit), 0o777);
        } catch (e) {
          this.log.warn({ pod: podKey(pod), volume: v.name, err: (e as Error).message }, 'tmpfs mount failed, emptyDir on disk');
        }
      }
      await chmod(dir, fsGroup !== undefined ? 0o2777 : 0o777);
      if (fsGroup !== undefined) await chown(dir, 0, fsGroup);
      return { hostPath: dir, readOnly: false };
    }
    const kind: PluginKind | undefined = v.configMap ? 'configMap' : v.secret ? 'secret' : v.downwardAPI ? 'downwardAPI' : v.projected ? 'projected' : undefined;
    if (!kind) throw new VolumeError(`unsupported volume type (supported: emptyDir, hostPath, persistentVolumeClaim, configMap, secret, downwardAPI, projected)`);
    const dir = dirFor(kind);
    await mkdir(dir, { recursive: true });
    // secrets never touch the disk: no tmpfs, no secret volume
    if (kind === 'secret' || kind === 'projected') {
      const hasSecret = kind === 'secret' || ((v.projected.sources ?? []) as KubeObject[]).some((s) => s.secret);
      try {
        await ensureTmpfs(dir, undefined, 0o755);
      } catch (e) {
        if (hasSecret) throw new VolumeError(`cannot mount tmpfs for secret volume: ${(e as Error).message}`);
        this.log.warn({ pod: podKey(pod), volume: v.name, err: (e as Error).message }, 'tmpfs mount failed, projected volume on disk');
      }
    }
    const payload = volumePayload(v, { pod, lookup, allocatable: this.allocatable }, (what) =>
      this.log.debug({ pod: podKey(pod), volume: v.name, source: what }, 'projected source not supported, skipped'),
    );
    const changed = await writeAtomic(dir, payload, { gid: fsGroup });
    if (changed) this.log.debug({ pod: podKey(pod), volume: v.name }, 'volume files updated');
    return { hostPath: dir, readOnly: true };
  }

  /** Host file bound at a container's terminationMessagePath. */
  terminationLogPath(podUid: string, container: string): string {
    return terminationLogPath(this.root, safeUid(podUid), container);
  }

  /** Empty the termination log before a new container instance starts, so a stale message never shows. */
  async resetTerminationLog(podUid: string, container: string): Promise<void> {
    await truncate(this.terminationLogPath(podUid, container), 0).catch(() => undefined);
  }

  async teardown(podUid: string): Promise<void> {
    const dir = podDir(this.root, safeUid(podUid));
    // 1. unmount tmpfs (deepest first), 2. refuse to delete while anything is still mounted there
    for (const m of await mountsUnder(dir)) await unmount(m);
    const left = await mountsUnder(dir);
    if (left.length) throw new Error(`pod ${podUid}: still mounted: ${left.join(', ')}`);
    await rm(dir, { recursive: true, force: true });
  }
}

function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** a uid is a path component: anything else could escape the pods dir */
function safeUid(uid: string | undefined): string {
  if (!uid || uid.includes('/') || uid === '.' || uid === '..') throw new VolumeError(`invalid pod uid ${JSON.stringify(uid)}`);
  return uid;
}

async function ensureFile(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o755 });
  await (await open(file, 'a', 0o666)).close();
  // writable by any container user, as the kubelet does
  await chmod(file, 0o666);
}

/** subPath inside the volume: created as a directory when missing, never allowed to escape it. */
async function resolveSubPath(base: string, subPath: string, volume: string): Promise<string> {
  if (posix.isAbsolute(subPath) || subPath.split('/').includes('..')) {
    throw new VolumeError(`subPath "${subPath}" of volume "${volume}" must be a relative path without '..'`);
  }
  const path = join(base, subPath);
  const exists = await stat(path).then(() => true, () => false);
  if (!exists) await mkdir(path, { recursive: true, mode: 0o750 });
  const real = await realpath(path);
  const realBase = await realpath(base);
  if (real !== realBase && !real.startsWith(realBase + '/')) {
    throw new VolumeError(`subPath "${subPath}" of volume "${volume}" resolves outside the volume`);
  }
  return real;
}
