// GET: one object, a list, or a watch; each in the representation the client negotiated.
import type { KubeObject } from '../../../api/types.js';
import { ApiError } from '../../../lib/errors.js';
import { negotiate, type Representation } from '../negotiate.js';
import { sendJson } from '../respond.js';
import { tableFor } from '../table/index.js';
import { boolParam, intParam, type HandlerContext } from './context.js';
import { scaleOf } from './scale.js';
import { serveWatch } from './watch.js';

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const { rr, query } = ctx;
  const rep = negotiate(ctx.req.headers.accept);
  if (!rr.name) {
    if (rr.legacyWatch || boolParam(query, 'watch')) return serveWatch(ctx, rep);
    const list = await ctx.registry.list(rr.ri, rr.namespace, {
      labelSelector: query.get('labelSelector') ?? undefined,
      fieldSelector: query.get('fieldSelector') ?? undefined,
      limit: intParam(query, 'limit'),
      continue: query.get('continue') ?? undefined,
      resourceVersion: query.get('resourceVersion') ?? undefined,
    });
    if (rep.as === 'object') return sendJson(ctx.res, 200, list);
    return sendJson(ctx.res, 200, represent(ctx, rep, list.items, list.metadata));
  }
  if (rr.legacyWatch) return serveWatch(ctx, rep);
  if (rr.subresource === 'log' || rr.subresource === 'exec' || rr.subresource === 'portforward' || rr.subresource === 'attach') {
    if (!ctx.agentProxy) throw new ApiError('ServiceUnavailable', `${rr.subresource} is served through the node agent, and no agent is connected`);
    return ctx.agentProxy(ctx);
  }
  const obj = await ctx.registry.get(rr.ri, rr.namespace, rr.name);
  if (rr.subresource === 'scale') return sendJson(ctx.res, 200, scaleOf(rr.ri, obj));
  if (rep.as === 'object') return sendJson(ctx.res, 200, obj);
  return sendJson(ctx.res, 200, represent(ctx, rep, [obj], { resourceVersion: obj.metadata.resourceVersion }));
}

export function represent(
  ctx: HandlerContext,
  rep: Exclude<Representation, { as: 'object' }>,
  items: KubeObject[],
  meta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  withColumns = true,
): unknown {
  if (rep.as === 'table') {
    const include = ctx.query.get('includeObject');
    const t = tableFor(ctx.rr.ri, items, {
      includeObject: include === 'None' || include === 'Object' ? include : 'Metadata',
      resourceVersion: meta.resourceVersion,
      continue: meta.continue,
      remainingItemCount: meta.remainingItemCount,
      withColumns,
    }) as unknown as Record<string, unknown>;
    if (rep.version === 'v1beta1') t.apiVersion = 'meta.k8s.io/v1beta1';
    return t;
  }
  const partial = (o: KubeObject) => {
    const { managedFields: _mf, ...metadata } = o.metadata;
    return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${rep.version}`, metadata };
  };
  if (ctx.rr.name && items.length === 1) return partial(items[0]);
  return { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${rep.version}`, metadata: meta, items: items.map(partial) };
}
