// What the owner-of-pods controllers (Job, CronJob, DaemonSet, StatefulSet) do the same way around
// their planners: read the owner (gone or going → nothing to do, the garbage collector's), delete a
// child that may already be gone, write status only when it changed and only onto the same object,
// and run with a sync that says when to look again.
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { jsonEqual } from '../registry/codec.js';
import type { DeleteOptions, Registry, WriteOptions } from '../registry/types.js';
import { runController, type ControllerHandle, type ControllerWatch } from './run-controller.js';

/** For .catch(): a NotFound means the object is already gone, which is what we wanted. */
export function ignoreNotFound(e: unknown): void {
  if (!isNotFound(e)) throw e;
}

/** The object, or undefined when it is gone or being deleted. */
export async function getLive(registry: Registry, ri: ResourceInfo, namespace: string, name: string): Promise<KubeObject | undefined> {
  let obj: KubeObject;
  try {
    obj = await registry.get(ri, namespace, name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  return obj.metadata.deletionTimestamp ? undefined : obj;
}

export async function deleteIfPresent(registry: Registry, ri: ResourceInfo, namespace: string, name: string, opts: DeleteOptions & WriteOptions): Promise<void> {
  await registry.delete(ri, namespace, name, opts).catch(ignoreNotFound);
}

/**
 * Write `status` onto obj's status subresource when it differs from what obj carries. A namesake
 * recreated meanwhile (another uid) keeps its own status. Returns whether a write was made.
 */
export async function writeStatusIfChanged(registry: Registry, ri: ResourceInfo, obj: KubeObject, status: unknown, write: WriteOptions): Promise<boolean> {
  if (jsonEqual(status, obj.status ?? {})) return false;
  await registry.guaranteedUpdate(ri, obj.metadata.namespace, obj.metadata.name!, (cur) => {
    if (cur!.metadata.uid === obj.metadata.uid) cur!.status = status;
    return cur!;
  }, { ...write, subresource: 'status' }).catch(ignoreNotFound);
  return true;
}

export interface RequeueingControllerOptions {
  name: string;
  signal: AbortSignal;
  log: Logger;
  clock?: Clock;
  resyncMs: number;
  workers?: number;
  watches: ControllerWatch[];
  /** one pass over a key; returns when to look again (ms), if ever */
  sync: (key: string, nowMs: number) => Promise<number | undefined>;
}

/** runController whose sync may ask for its key again after some time. */
export function runRequeueingController(registry: Registry, o: RequeueingControllerOptions): ControllerHandle {
  const clock = o.clock ?? realClock;
  const handle: ControllerHandle = runController({
    name: o.name,
    registry,
    signal: o.signal,
    log: o.log,
    clock,
    workers: o.workers,
    resyncMs: o.resyncMs,
    watches: o.watches,
    sync: async (key) => {
      const after = await o.sync(key, clock.now());
      if (after !== undefined) handle.enqueueAfter(key, after);
    },
  });
  return handle;
}
