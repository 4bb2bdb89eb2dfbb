// POST, PUT and DELETE on resources and their subresources.
import { groupVersion } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { ApiError, badRequest } from '../../../lib/errors.js';
import type { DeleteOptions } from '../../registry/types.js';
import { decodeBody, readBody } from '../body.js';
import { sendJson, successStatus } from '../respond.js';
import { dryRun, fieldManager, intParam, type HandlerContext } from './context.js';
import { applyScale, scaleOf } from './scale.js';

export async function readObject(ctx: HandlerContext): Promise<any> {
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the request body must be a JSON object');
  return body;
}

function checkKind(ctx: HandlerContext, obj: KubeObject): void {
  const ri = ctx.rr.ri;
  if (obj.kind && obj.kind !== ri.kind)
    throw badRequest(`the kind of the object (${obj.kind}) does not match the resource (${ri.plural} of kind ${ri.kind})`);
  if (obj.apiVersion && obj.apiVersion !== groupVersion(ri))
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${groupVersion(ri)})`);
  obj.metadata ??= {};
}

export async function handleCreate(ctx: HandlerContext): Promise<void> {
  const { rr } = ctx;
  const body = await readObject(ctx);
  const opts = { user: ctx.user, dryRun: dryRun(ctx.query), fieldManager: fieldManager(ctx) };
  if (rr.name) {
    if (rr.subresource === 'binding' || rr.subresource === 'eviction') {
      body.metadata = { ...(body.metadata ?? {}), name: body.metadata?.name ?? rr.name, namespace: rr.namespace };
      if (body.metadata.name !== rr.name) throw badRequest(`name in URL (${rr.name}) does not match name in body (${body.metadata.name})`);
      const out = await ctx.registry.create(rr.ri, rr.namespace, body, { ...opts, subresource: rr.subresource });
      return sendJson(ctx.res, 201, out);
    }
    if (rr.subresource && ctx.agentProxy) return ctx.agentProxy(ctx);
    throw new ApiError('MethodNotAllowed', `POST is not supported on a named ${rr.ri.singular}`);
  }
  if (rr.ri.namespaced && !rr.namespace) throw new ApiError('MethodNotAllowed', `POST requires a namespace for ${rr.ri.plural}`);
  checkKind(ctx, body);
  const out = await ctx.registry.create(rr.ri, rr.namespace, body, opts);
  sendJson(ctx.res, 201, out);
}

export async function handleUpdate(ctx: HandlerContext): Promise<void> {
  const { rr } = ctx;
  if (!rr.name) throw new ApiError('MethodNotAllowed', 'PUT requires a name');
  const body = await readObject(ctx);
  const opts = { user: ctx.user, dryRun: dryRun(ctx.query), fieldManager: fieldManager(ctx), subresource: rr.subresource };
  if (rr.subresource === 'scale') {
    const { object } = await ctx.registry.guaranteedUpdate(rr.ri, rr.namespace, rr.name, (cur) => applyScale(rr.ri, cur!, body), { ...opts, subresource: undefined, fieldsSubresource: 'scale' });
    return sendJson(ctx.res, 200, scaleOf(rr.ri, object));
  }
  if (rr.subresource && rr.subresource !== 'status' && rr.subresource !== 'finalize')
    throw new ApiError('MethodNotAllowed', `PUT is not supported on ${rr.ri.plural}/${rr.subresource}`);
  checkKind(ctx, body);
  const out = await ctx.registry.update(rr.ri, rr.namespace, rr.name, body, opts);
  sendJson(ctx.res, 200, out);
}

async function deleteOptions(ctx: HandlerContext): Promise<DeleteOptions & { dryRun: boolean }> {
  const raw = await readBody(ctx.req);
  const body = raw.length ? decodeBody(raw, ctx.req.headers['content-type']) : {};
  const grace = intParam(ctx.query, 'gracePeriodSeconds') ?? body?.gracePeriodSeconds;
  let policy = ctx.query.get('propagationPolicy') ?? body?.propagationPolicy;
  if (body?.orphanDependents === true || ctx.query.get('orphanDependents') === 'true') policy = 'Orphan';
  if (policy && !['Orphan', 'Background', 'Foreground'].includes(policy))
    throw new ApiError('BadRequest', `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  const dr = dryRun(ctx.query) || (Array.isArray(body?.dryRun) && body.dryRun.includes('All'));
  return { gracePeriodSeconds: grace, propagationPolicy: policy, preconditions: body?.preconditions, dryRun: dr };
}

export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const { rr } = ctx;
  const opts = await deleteOptions(ctx);
  const write = { ...opts, user: ctx.user, fieldManager: fieldManager(ctx) };
  if (rr.name) {
    if (rr.subresource) throw new ApiError('MethodNotAllowed', `DELETE is not supported on ${rr.ri.plural}/${rr.subresource}`);
    const { object, deleted } = await ctx.registry.delete(rr.ri, rr.namespace, rr.name, write);
    return sendJson(ctx.res, deleted ? 200 : 200, object);
  }
  // deletecollection: the objects matching the selectors, one by one (each may be graceful).
  const list = await ctx.registry.list(rr.ri, rr.namespace, {
    labelSelector: ctx.query.get('labelSelector') ?? undefined,
    fieldSelector: ctx.query.get('fieldSelector') ?? undefined,
  });
  const items: KubeObject[] = [];
  for (const o of list.items) {
    try {
      items.push((await ctx.registry.delete(rr.ri, o.metadata.namespace, o.metadata.name!, write)).object);
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
    }
  }
  sendJson(ctx.res, 200, { apiVersion: list.apiVersion, kind: list.kind, metadata: list.metadata, items });
}

export { successStatus };
