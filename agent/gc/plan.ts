// Pure garbage-collection planning, kubelet-style.
// Containers: per (pod, container) keep what runs plus the newest exited instance (for
// `kubectl logs --previous` and lastState); older exited instances go. Exited sandboxes other than
// the newest go. Pods nobody wants any more (not desired, no worker, nothing running) lose all.
// Images: when the image filesystem is above the high threshold, remove unused images oldest first
// until the low threshold is reached; never an image a container uses, never the sandbox image.
import type { RuntimeContainer, RuntimePod } from '../runtime/runtime.js';

export interface ContainerGcInput {
  pods: RuntimePod[];
  /** pod uids in the desired state or still owned by a pod worker */
  keepPods: ReadonlySet<string>;
}

const newestFirst = (a: RuntimeContainer, b: RuntimeContainer): number =>
  b.restartCount - a.restartCount || Date.parse(b.createdAt) - Date.parse(a.createdAt);

const dead = (c: RuntimeContainer): boolean => c.state === 'exited' || c.state === 'created';

/** container ids to remove */
export function planContainerGc(input: ContainerGcInput): string[] {
  const out: string[] = [];
  for (const pod of input.pods) {
    const all = [...pod.sandboxes, ...pod.containers];
    if (!input.keepPods.has(pod.uid)) {
      // an unwanted pod with something still running is the pod workers' job (graceful stop)
      if (all.every(dead)) out.push(...all.map((c) => c.id));
      continue;
    }
    const sandboxes = [...pod.sandboxes].sort(newestFirst);
    for (const s of sandboxes.slice(1)) if (s.state === 'exited') out.push(s.id);
    const byName = new Map<string, RuntimeContainer[]>();
    for (const c of pod.containers) byName.set(c.containerName, [...(byName.get(c.containerName) ?? []), c]);
    for (const list of byName.values()) {
      // "created" but never started counts as live here: the worker may be about to start it
      const exited = list.filter((c) => c.state === 'exited').sort(newestFirst);
      out.push(...exited.slice(1).map((c) => c.id));
    }
  }
  return out;
}

export interface ImageInfo {
  id: string;
  tags: string[];
  size: number;
  /** seconds since the epoch */
  created: number;
}

export interface ImageGcInput {
  images: ImageInfo[];
  /** image ids used by any container (running or not) */
  inUse: ReadonlySet<string>;
  /** never removed (the sandbox image) */
  pinned: ReadonlySet<string>;
  /** bytes used and total of the filesystem holding the Docker data root */
  usedBytes: number;
  capacityBytes: number;
  highPercent?: number;
  lowPercent?: number;
  /** image id → ms epoch when last seen in use (older unused first); default created */
  lastUsed?: ReadonlyMap<string, number>;
}

/** image ids to remove, in order */
export function planImageGc(input: ImageGcInput): string[] {
  const high = input.highPercent ?? 85;
  const low = input.lowPercent ?? 80;
  if (input.capacityBytes <= 0) return [];
  const usage = (input.usedBytes / input.capacityBytes) * 100;
  if (usage <= high) return [];
  let toFree = input.usedBytes - (input.capacityBytes * low) / 100;
  const age = (i: ImageInfo): number => input.lastUsed?.get(i.id) ?? i.created * 1000;
  const candidates = input.images
    .filter((i) => !input.inUse.has(i.id) && !input.pinned.has(i.id))
    .sort((a, b) => age(a) - age(b) || a.id.localeCompare(b.id));
  const out: string[] = [];
  for (const i of candidates) {
    if (toFree <= 0) break;
    out.push(i.id);
    toFree -= i.size;
  }
  return out;
}
