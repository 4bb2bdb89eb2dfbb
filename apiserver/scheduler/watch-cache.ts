// A self-healing watch into a local map: opens from '' (initial ADDED), and after an ERROR event or
// a failed open starts over with a fresh listing, clearing the map first so stale entries vanish.
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import { Backoff } from '../../lib/backoff.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, WatchHandle } from '../registry/types.js';

export interface CacheWatchOptions {
  registry: Registry;
  ri: ResourceInfo;
  fieldSelector?: string;
  clock: Clock;
  log: Logger;
  /** called for every ADDED/MODIFIED/DELETED */
  onEvent(ev: WatchEvent): void;
  /** called before a fresh listing replaces the old one */
  onReset(): void;
}

export const objectKey = (o: KubeObject): string => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!);

/** Start the watch; the promise resolves once the initial listing was delivered. */
export async function startCacheWatch(o: CacheWatchOptions): Promise<{ stop(): void }> {
  let stopped = false;
  let handle: WatchHandle | undefined;
  const backoff = new Backoff({ initialMs: 200, maxMs: 30_000, jitter: 0.2 });

  const open = async (): Promise<void> => {
    while (!stopped) {
      try {
        let broken = false;
        o.onReset();
        const h = await o.registry.watch(o.ri, undefined, { resourceVersion: '', fieldSelector: o.fieldSelector }, (ev) => {
          if (stopped || broken) return;
          if (ev.type === 'BOOKMARK') return;
          if (ev.type === 'ERROR') {
            broken = true;
            o.log.warn({ resource: o.ri.plural, status: ev.object?.message }, 'scheduler watch error; rewatching');
            handle?.stop();
            handle = undefined;
            o.clock.setTimeout(() => void open(), backoff.next());
            return;
          }
          o.onEvent(ev);
        });
        if (stopped || broken) return h.stop();
        handle = h;
        backoff.reset();
        return;
      } catch (err) {
        const delay = backoff.next();
        o.log.error({ err, resource: o.ri.plural, retryMs: delay }, 'scheduler watch failed');
        await new Promise<void>((r) => o.clock.setTimeout(r, delay));
      }
    }
  };
  await open();
  return {
    stop: () => {
      stopped = true;
      handle?.stop();
    },
  };
}
