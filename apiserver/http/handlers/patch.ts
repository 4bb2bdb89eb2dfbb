// PATCH in its four flavours. json/merge/strategic are read-modify-write with retry on conflict;
// apply (server-side apply) creates when absent and tracks field ownership.
import { groupVersion } from '../../../api/resources.js';
import { nowRfc3339, type KubeObject } from '../../../api/types.js';
import { ApiError, badRequest } from '../../../lib/errors.js';
import { decodeBody, readBody } from '../body.js';
import { applyJsonPatch, applyMergePatch, applyServerSide, applyStrategicMergePatch, patchTypeFromContentType } from '../patch/index.js';
import { sendJson } from '../respond.js';
import { boolParam, dryRun, fieldManager, type HandlerContext } from './context.js';
import { applyScale, scaleOf } from './scale.js';

export async function handlePatch(ctx: HandlerContext): Promise<void> {
  const { rr } = ctx;
  if (!rr.name) throw new ApiError('MethodNotAllowed', 'PATCH requires a name');
  const type = patchTypeFromContentType(ctx.req.headers['content-type']);
  if (!type) throw new ApiError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
  const patch = decodeBody(await readBody(ctx.req), type === 'apply' ? 'application/yaml' : 'application/json');
  const kindKey = `${groupVersion(rr.ri)}/${rr.ri.kind}`;
  const opts = { user: ctx.user, dryRun: dryRun(ctx.query), fieldManager: fieldManager(ctx), subresource: rr.subresource };

  if (rr.subresource === 'scale') {
    const { object } = await ctx.registry.guaranteedUpdate(
      rr.ri,
      rr.namespace,
      rr.name,
      (cur) => applyScale(rr.ri, cur!, patchWith(type === 'apply' ? 'merge' : type, scaleOf(rr.ri, cur!), patch, 'autoscaling/v1/Scale')),
      { ...opts, subresource: undefined, fieldsSubresource: 'scale' },
    );
    return sendJson(ctx.res, 200, scaleOf(rr.ri, object));
  }
  if (rr.subresource && rr.subresource !== 'status') throw new ApiError('MethodNotAllowed', `PATCH is not supported on ${rr.ri.plural}/${rr.subresource}`);

  if (type === 'apply') {
    const manager = ctx.query.get('fieldManager');
    if (!manager) throw badRequest('PATCH, fieldManager is required for apply requests');
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw badRequest('apply patch must be an object');
    if (patch.kind && patch.kind !== rr.ri.kind) throw badRequest(`the kind of the applied object (${patch.kind}) does not match ${rr.ri.kind}`);
    patch.metadata ??= {};
    if (patch.metadata.name && patch.metadata.name !== rr.name) throw badRequest(`the name of the applied object (${patch.metadata.name}) does not match the URL (${rr.name})`);
    const force = boolParam(ctx.query, 'force');
    const { object, created } = await ctx.registry.guaranteedUpdate(
      rr.ri,
      rr.namespace,
      rr.name,
      (live) => {
        const applied = applyServerSide(live, { ...patch, metadata: { ...patch.metadata, name: rr.name } }, {
          manager,
          force,
          kindKey,
          now: nowRfc3339(),
          apiVersion: groupVersion(rr.ri),
        });
        if (live && !patch.metadata.resourceVersion) delete applied.metadata.resourceVersion;
        return applied;
      },
      { ...opts, fieldManager: manager, allowCreate: !rr.subresource, managedFieldsComputed: true },
    );
    return sendJson(ctx.res, created ? 201 : 200, object);
  }

  const { object } = await ctx.registry.guaranteedUpdate(
    rr.ri,
    rr.namespace,
    rr.name,
    (cur) => {
      const next = patchWith(type, cur!, patch, kindKey);
      // A patch that does not name a resourceVersion applies to whatever is current (retried on conflict).
      if (!hasResourceVersion(patch)) delete next.metadata.resourceVersion;
      return next;
    },
    opts,
  );
  sendJson(ctx.res, 200, object);
}

function patchWith(type: 'json' | 'merge' | 'strategic', obj: KubeObject, patch: unknown, kindKey: string): KubeObject {
  if (type === 'json') return applyJsonPatch(obj, patch);
  if (type === 'merge') return applyMergePatch(obj, patch);
  return applyStrategicMergePatch(obj, patch, kindKey);
}

function hasResourceVersion(patch: any): boolean {
  if (Array.isArray(patch)) return patch.some((op) => typeof op?.path === 'string' && op.path === '/metadata/resourceVersion' && op.op !== 'test');
  return typeof patch?.metadata?.resourceVersion === 'string';
}
