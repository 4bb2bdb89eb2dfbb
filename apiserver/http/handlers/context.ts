import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoreRegistry } from '../../registry/registry.js';
import type { UserInfo } from '../../registry/types.js';
import type { ResourceRequest } from '../request-info.js';
import { ApiError } from '../../../lib/errors.js';

/** What one API request handler needs; built once per request by the server. */
export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  rr: ResourceRequest;
  query: URLSearchParams;
  user: UserInfo;
  registry: StoreRegistry;
  /** hook for subresources served by agents (log, exec, portforward) — wired by a later issue */
  agentProxy?: (ctx: HandlerContext) => Promise<void>;
}

export function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new ApiError('BadRequest', `invalid value for ${name}: ${v}`);
  return n;
}

export function dryRun(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  if (v.some((x) => x !== 'All')) throw new ApiError('BadRequest', `dryRun: Unsupported value: "${v.find((x) => x !== 'All')}": supported values: "All"`);
  return v.length > 0;
}

/** The field manager a write records: the explicit parameter, else the client's user-agent name, as Kubernetes does. */
export function fieldManager(ctx: HandlerContext): string {
  const explicit = ctx.query.get('fieldManager');
  if (explicit) return explicit;
  const ua = String(ctx.req.headers['user-agent'] ?? 'unknown');
  return ua.split('/')[0].slice(0, 128) || 'unknown';
}
