// Streams watch events as newline-delimited JSON over a chunked response, with bookmarks and a
// server-side timeout. A too-old resourceVersion becomes an ERROR event carrying a 410 Status.
import { ApiError } from '../../../lib/errors.js';
import type { WatchEvent } from '../../../api/types.js';
import { bookmark } from '../../registry/registry.js';
import type { Representation } from '../negotiate.js';
import { boolParam, intParam, type HandlerContext } from './context.js';
import { represent } from './read.js';

const DEFAULT_TIMEOUT_S = 1800;
const BOOKMARK_EVERY_MS = Number(process.env.KINGLET_BOOKMARK_MS ?? 30_000);
/** A watcher that cannot keep up is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

export async function serveWatch(ctx: HandlerContext, rep: Representation): Promise<void> {
  const { rr, query, res } = ctx;
  const timeoutS = intParam(query, 'timeoutSeconds') ?? DEFAULT_TIMEOUT_S;
  const bookmarks = boolParam(query, 'allowWatchBookmarks');
  const fieldSelector = [query.get('fieldSelector'), rr.legacyWatch && rr.name ? `metadata.name=${rr.name}` : undefined]
    .filter(Boolean)
    .join(',');
  let columnsSent = false;
  const write = (ev: WatchEvent): void => {
    if (res.destroyed) return;
    let object: unknown = ev.object;
    if (rep.as !== 'object' && ev.type !== 'ERROR' && ev.type !== 'BOOKMARK') {
      object = represent(ctx, rep, [ev.object], { resourceVersion: ev.object.metadata.resourceVersion }, !columnsSent);
      columnsSent = true;
    }
    res.write(JSON.stringify({ type: ev.type, object }) + '\n');
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  };
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let handle: { stop(): void } | undefined;
  try {
    handle = await ctx.registry.watch(
      rr.ri,
      rr.namespace,
      {
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: fieldSelector || undefined,
        resourceVersion: query.get('resourceVersion') ?? undefined,
        allowWatchBookmarks: bookmarks,
        sendInitialEvents: query.has('sendInitialEvents') ? boolParam(query, 'sendInitialEvents') : undefined,
      },
      write,
    );
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError('InternalError', String((e as Error)?.message ?? e));
    res.end(JSON.stringify({ type: 'ERROR', object: err.toStatus() }) + '\n');
    return;
  }
  const timers: NodeJS.Timeout[] = [];
  const close = (): void => {
    handle?.stop();
    timers.forEach(clearTimeout);
    if (!res.writableEnded) res.end();
  };
  timers.push(setTimeout(close, timeoutS * 1000));
  if (bookmarks) timers.push(setInterval(() => write(bookmark(rr.ri, ctx.registry.currentRevision())), BOOKMARK_EVERY_MS));
  ctx.req.on('close', close);
  res.on('close', close);
}
