// Discovery, version, health and OpenAPI: everything that is not an object.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../lib/errors.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { openapiV3Document, openapiV3Index } from './openapi/index.js';
import { sendJson } from './respond.js';

export function serveNonResource(req: IncomingMessage, res: ServerResponse, path: string, version: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError('MethodNotAllowed', `method ${req.method} is not allowed on ${path}`);
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/healthz' || p === '/livez' || p === '/readyz' || p.startsWith('/healthz/') || p.startsWith('/livez/') || p.startsWith('/readyz/')) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('ok');
    return;
  }
  if (p === '/version') return sendJson(res, 200, versionInfo(version));
  if (p === '/api') return sendJson(res, 200, apiVersions(req.socket.localAddress + ':' + req.socket.localPort));
  if (p === '/apis') return sendJson(res, 200, apiGroupList());
  if (p === '/openapi/v3') return sendJson(res, 200, openapiV3Index());
  if (p.startsWith('/openapi/v3/')) {
    const doc = openapiV3Document(p.slice('/openapi/v3/'.length));
    if (doc) return sendJson(res, 200, doc, { 'Cache-Control': 'public, immutable' });
  }
  const parts = p.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length === 2) {
    const doc = apiResourceList('', parts[1]);
    if (doc) return sendJson(res, 200, doc);
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const doc = apiGroup(parts[1]);
    if (doc) return sendJson(res, 200, doc);
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const doc = apiResourceList(parts[1], parts[2]);
    if (doc) return sendJson(res, 200, doc);
  }
  throw new ApiError('NotFound', 'the server could not find the requested resource');
}
