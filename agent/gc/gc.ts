// The garbage-collection loop: every minute, once the synced gate is open, remove the containers
// planContainerGc picks, then images when the image filesystem is above its high threshold.
import { statfs } from 'node:fs/promises';
import type { Logger } from '../../lib/logger.js';
import type { Runtime, RuntimePod } from '../runtime/runtime.js';
import { planContainerGc, planImageGc } from './plan.js';

export interface GcOptions {
  runtime: Pick<Runtime, 'removeContainer' | 'listImages' | 'removeImage' | 'imageId'>;
  list(): Promise<RuntimePod[]>;
  /** must this pod keep its containers (desired, or still owned by a worker)? */
  keepPod(uid: string): boolean;
  synced(): boolean;
  /** Docker's data root (its filesystem is the image filesystem); undefined skips image GC */
  dataRoot(): Promise<string | undefined>;
  /** never removed */
  sandboxImage: string;
  log: Logger;
  intervalMs?: number;
  highPercent?: number;
  lowPercent?: number;
}

export interface GcReport {
  containers: string[];
  images: string[];
}

export async function fsUsage(path: string): Promise<{ usedBytes: number; capacityBytes: number }> {
  const s = await statfs(path);
  const capacityBytes = s.blocks * s.bsize;
  return { capacityBytes, usedBytes: capacityBytes - s.bfree * s.bsize };
}

export class GarbageCollector {
  private timer?: ReturnType<typeof setTimeout>;
  private stopped = false;
  private running?: Promise<GcReport>;

  constructor(private readonly opts: GcOptions) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** one pass (never concurrent with another); nothing happens before the synced gate opens */
  runOnce(): Promise<GcReport> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<GcReport> {
    const report: GcReport = { containers: [], images: [] };
    if (!this.opts.synced()) return report;
    const { runtime, log } = this.opts;
    // 1. containers
    const pods = await this.opts.list();
    for (const id of planContainerGc({ pods, keepPods: new Set(pods.map((p) => p.uid).filter((uid) => this.opts.keepPod(uid))) })) {
      try {
        await runtime.removeContainer(id);
        report.containers.push(id);
      } catch (e) {
        log.warn({ container: id, err: (e as Error).message }, 'container gc failed');
      }
    }
    // 2. images, only above the high threshold
    const root = await this.opts.dataRoot().catch(() => undefined);
    if (!root) return report;
    const usage = await fsUsage(root);
    const after = await this.opts.list();
    const inUse = new Set<string>();
    for (const p of after) for (const c of [...p.sandboxes, ...p.containers]) if (c.imageId) inUse.add(c.imageId);
    const pinned = new Set<string>();
    const sandboxId = await runtime.imageId(this.opts.sandboxImage);
    if (sandboxId) pinned.add(sandboxId);
    const images = await runtime.listImages();
    const plan = planImageGc({ images, inUse, pinned, ...usage, highPercent: this.opts.highPercent, lowPercent: this.opts.lowPercent });
    for (const id of plan) {
      try {
        await runtime.removeImage(id);
        report.images.push(id);
      } catch (e) {
        // in use by a non-kinglet container, or raced with a pull: skip it
        log.warn({ image: id, err: (e as Error).message }, 'image gc failed');
      }
    }
    if (report.containers.length || report.images.length) log.info({ containers: report.containers.length, images: report.images.length }, 'garbage collected');
    return report;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runOnce()
        .catch((e) => this.opts.log.warn({ err: (e as Error).message }, 'gc pass failed'))
        .finally(() => this.schedule());
    }, this.opts.intervalMs ?? 60_000);
    this.timer.unref?.();
  }
}
