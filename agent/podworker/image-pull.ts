// Step 4 of a sync for one container: make its image present per imagePullPolicy, with the
// kubelet's ErrImagePull → ImagePullBackOff behaviour and its events.
import { performance } from 'node:perf_hooks';
import { defaultImagePullPolicy } from '../../api/defaults/pod.js';
import type { KubeObject } from '../../api/types.js';
import { RuntimeError } from '../runtime/runtime.js';
import { pullKey } from './backoff.js';
import { errorMessage, fieldPath, retryAt, type SyncDeps, type SyncResult } from './sync-types.js';

/** true when the image is there; false with a waiting reason recorded in result */
export async function ensureImage(pod: KubeObject, c: any, kind: 'init' | 'app', deps: SyncDeps, result: SyncResult, signal?: AbortSignal): Promise<boolean> {
  const image: string = c.image;
  const policy: string = c.imagePullPolicy ?? defaultImagePullPolicy(image);
  const fp = fieldPath(kind, c.name);
  const wait = (reason: string, message: string): false => {
    result.waitingReasons.set(c.name, { reason, message });
    return false;
  };
  const present = await deps.runtime.imageId(image).catch(() => undefined);
  if (policy === 'Never') {
    if (present) return true;
    const msg = `Container image "${image}" is not present with pull policy of Never`;
    deps.events.event(pod, 'Warning', 'ErrImageNeverPull', msg, fp);
    return wait('ErrImageNeverPull', msg);
  }
  if (policy === 'IfNotPresent' && present) {
    deps.events.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, fp);
    return true;
  }
  const key = pullKey(pod.metadata.uid!, image);
  const now = deps.now();
  const win = deps.backoff.pullBackOff(key, now);
  if (win) {
    const msg = `Back-off pulling image "${image}"`;
    deps.events.event(pod, 'Normal', 'BackOff', msg, fp);
    deps.events.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', fp);
    retryAt(result, win.until);
    return wait('ImagePullBackOff', msg);
  }
  deps.events.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, fp);
  const t0 = performance.now();
  try {
    await deps.runtime.pullImage(image, deps.configs.pullAuth(pod, image, deps.lookup), signal);
  } catch (e) {
    if (signal?.aborted) throw e;
    const msg = errorMessage(e);
    if (e instanceof RuntimeError && e.reason === 'InvalidImageName') {
      deps.events.event(pod, 'Warning', 'InspectFailed', `Failed to apply default image tag "${image}": ${msg}`, fp);
      return wait('InvalidImageName', `Failed to apply default image tag "${image}": ${msg}`);
    }
    const delaySec = deps.backoff.next(key, now);
    deps.events.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${msg}`, fp);
    deps.events.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', fp);
    retryAt(result, now + delaySec * 1000);
    return wait('ErrImagePull', msg);
  }
  deps.backoff.reset(key);
  const sec = `${((performance.now() - t0) / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
  deps.events.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${sec} (${sec} including waiting)`, fp);
  return true;
}
