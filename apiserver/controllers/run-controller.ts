// The shared controller skeleton: watch some resources, turn events into keys on a work queue,
// and let N workers call sync(key) — one key at a time, failures retried with per-key backoff,
// every known key resynced periodically (level-triggered: sync always reads the current state).
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import { Backoff } from '../../lib/backoff.js';
import { realClock, type Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { WorkQueue } from '../../lib/work-queue.js';
import type { Registry, WatchHandle } from '../registry/types.js';

export interface ControllerWatch {
  ri: ResourceInfo;
  /** limit to one namespace; undefined = all */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** keys to enqueue for an object; undefined/[] = ignore it */
  keyOf(obj: KubeObject, type: WatchEvent['type']): string | string[] | undefined;
}

export interface ControllerOptions {
  name: string;
  registry: Registry;
  watches: ControllerWatch[];
  sync: (key: string) => Promise<void>;
  workers?: number;
  /** re-enqueue every known key this often; 0/undefined = no resync */
  resyncMs?: number;
  signal: AbortSignal;
  log: Logger;
  clock?: Clock;
  queue?: WorkQueue<string>;
}

export interface ControllerHandle {
  /** true once every watch has delivered its initial listing to the queue */
  hasSynced(): boolean;
  /** resolves when hasSynced() turns true (or the controller stops) */
  synced: Promise<void>;
  enqueue(key: string): void;
  enqueueAfter(key: string, ms: number): void;
  queue: WorkQueue<string>;
  /** resolves once stopped and every worker has returned */
  done: Promise<void>;
}

const objectId = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export function runController(opts: ControllerOptions): ControllerHandle {
  const clock = opts.clock ?? realClock;
  const queue = opts.queue ?? new WorkQueue<string>({ clock });
  const log = opts.log.child ? opts.log.child({ controller: opts.name }) : opts.log;
  // Keys each watched object maps to, per watch, so resync knows every live key.
  const known = opts.watches.map(() => new Map<string, string[]>());
  const handles: (WatchHandle | undefined)[] = opts.watches.map(() => undefined);
  let syncedCount = 0;
  let markSynced!: () => void;
  const synced = new Promise<void>((r) => (markSynced = r));
  let stopped = false;

  const keysOf = (w: ControllerWatch, obj: KubeObject, type: WatchEvent['type']): string[] => {
    const k = w.keyOf(obj, type);
    return k === undefined ? [] : Array.isArray(k) ? k : [k];
  };

  const onEvent = (i: number, ev: WatchEvent): boolean => {
    if (ev.type === 'BOOKMARK') return true;
    if (ev.type === 'ERROR') return false;
    const keys = keysOf(opts.watches[i], ev.object, ev.type);
    // objects that map to no key are not remembered: resync would add nothing for them, and a
    // watch over every pod would otherwise keep an entry per pod
    if (ev.type === 'DELETED' || keys.length === 0) known[i].delete(objectId(ev.object));
    else known[i].set(objectId(ev.object), keys);
    for (const k of keys) queue.add(k);
    return true;
  };

  // 1: open each watch from '' (synthetic ADDED of the current state, then live); on an ERROR
  //    event or a failed open, reopen after a backoff — a fresh listing re-enqueues everything.
  const startWatch = async (i: number, backoff: Backoff, first: boolean): Promise<void> => {
    const w = opts.watches[i];
    while (!stopped) {
      try {
        let broken = false;
        const fresh = new Map<string, string[]>();
        known[i] = fresh;
        const handle = await opts.registry.watch(
          w.ri,
          w.namespace,
          { resourceVersion: '', labelSelector: w.labelSelector, fieldSelector: w.fieldSelector },
          (ev) => {
            if (broken || stopped) return;
            if (!onEvent(i, ev)) {
              broken = true;
              log.warn({ resource: w.ri.plural, status: ev.object?.message }, 'controller watch error; rewatching');
              handles[i]?.stop();
              handles[i] = undefined;
              clock.setTimeout(() => void startWatch(i, backoff, false), backoff.next());
            }
          },
        );
        if (stopped) return handle.stop();
        if (broken) return handle.stop();
        handles[i] = handle;
        backoff.reset();
        if (first && ++syncedCount === opts.watches.length) markSynced();
        return;
      } catch (err) {
        const delay = backoff.next();
        log.error({ err, resource: w.ri.plural, retryMs: delay }, 'controller watch failed');
        await new Promise<void>((r) => clock.setTimeout(r, delay));
      }
    }
  };
  if (opts.watches.length === 0) markSynced();
  opts.watches.forEach((_, i) => void startWatch(i, new Backoff({ initialMs: 200, maxMs: 30_000, jitter: 0.2 }), true));

  // 2: workers — a failed sync goes back with per-key backoff, a good one resets it.
  const worker = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await opts.sync(key);
        queue.forget(key);
      } catch (err) {
        log.warn({ err, key, retries: queue.numRequeues(key) }, 'controller sync failed');
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  const done = Promise.all(Array.from({ length: Math.max(1, opts.workers ?? 1) }, worker)).then(() => undefined);

  // 3: periodic resync of every key some watched object maps to.
  let resyncTimer: ReturnType<Clock['setTimeout']> | undefined;
  const resync = (): void => {
    if (stopped) return;
    for (const m of known) for (const keys of m.values()) for (const k of keys) queue.add(k);
    resyncTimer = clock.setTimeout(resync, opts.resyncMs!);
  };
  if (opts.resyncMs && opts.resyncMs > 0) resyncTimer = clock.setTimeout(resync, opts.resyncMs);

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (resyncTimer !== undefined) clock.clearTimeout(resyncTimer);
    for (const h of handles) h?.stop();
    queue.shutdown();
    markSynced();
  };
  if (opts.signal.aborted) stop();
  else opts.signal.addEventListener('abort', stop, { once: true });

  return {
    hasSynced: () => !stopped && syncedCount === opts.watches.length,
    synced,
    enqueue: (k) => queue.add(k),
    enqueueAfter: (k, ms) => queue.addAfter(k, ms),
    queue,
    done,
  };
}
