// The HTTPS front door: authenticate, authorize, route, and turn every failure into a Status.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Authenticator } from '../auth/authenticate.js';
import { authorize, forbiddenError, type AuthorizeOptions, type RequestAttributes } from '../auth/authorize.js';
import type { NodeRequestAttributes } from '../auth/node-authorizer.js';
import { ApiError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { StoreRegistry } from '../registry/registry.js';
import type { UserInfo } from '../registry/types.js';
import type { HandlerContext } from './handlers/context.js';
import { parseRequestPath, type ResourceRequest } from './request-info.js';
import { sendError, sendJson } from './respond.js';
import { handleGet } from './handlers/read.js';
import { handleCreate, handleDelete, handleUpdate } from './handlers/write.js';
import { handlePatch } from './handlers/patch.js';
import { serveNonResource } from './non-resource.js';

export interface HttpServerOptions {
  tls: { certPem: string; keyPem: string; caCertPem: string };
  authenticator: Authenticator;
  authorizeOptions?: AuthorizeOptions;
  registry: StoreRegistry;
  log: Logger;
  version: string;
  agentProxy?: HandlerContext['agentProxy'];
  /** GET /kinglet/v1/bootstrap (anonymous): the CA and the agents' gRPC endpoint for joining nodes */
  bootstrap?: (req: IncomingMessage) => { caPem: string; agentEndpoint: string };
}

export const BOOTSTRAP_PATH = '/kinglet/v1/bootstrap';

// Health and version answer without credentials (Kubernetes' system:public-info-viewer); a wrong
// token is still refused.
const ANONYMOUS_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export function createApiHttpServer(opts: HttpServerOptions): Server {
  const server = createServer(
    {
      cert: opts.tls.certPem,
      key: opts.tls.keyPem,
      ca: opts.tls.caCertPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      handle(opts, req, res).catch((e) => {
        if (!(e instanceof ApiError)) opts.log.error({ err: e, method: req.method, path: req.url?.split('?')[0] }, 'request failed');
        sendError(res, e);
      });
    },
  );
  // Watches and log follows are long-lived: no request timeout; idle keep-alive as Go's default.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 90_000;
  return server;
}

async function handle(opts: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const path = url.pathname;
  // Joining agents have no credentials yet; they pin the CA by its hash from the join token.
  if (path === BOOTSTRAP_PATH && opts.bootstrap && (req.method === 'GET' || req.method === 'HEAD')) {
    return sendJson(res, 200, opts.bootstrap(req));
  }
  const user = authenticate(opts, req);
  if (!user) {
    if (ANONYMOUS_PATHS.has(path) && !req.headers.authorization) return serveNonResource(req, res, path, opts.version);
    throw new ApiError('Unauthorized', 'Unauthorized');
  }
  const parsed = parseRequestPath(path);
  if (parsed.kind === 'other') {
    check(opts, user, { verb: (req.method ?? 'GET').toLowerCase(), group: '', resource: '', path });
    return serveNonResource(req, res, path, opts.version);
  }
  const ctx: HandlerContext = { req, res, rr: parsed, query: url.searchParams, user, registry: opts.registry, agentProxy: opts.agentProxy };
  check(opts, user, attributesOf(req.method ?? 'GET', parsed, url.searchParams));
  switch (req.method) {
    case 'GET':
      return handleGet(ctx);
    case 'POST':
      return handleCreate(ctx);
    case 'PUT':
      return handleUpdate(ctx);
    case 'PATCH':
      return handlePatch(ctx);
    case 'DELETE':
      return handleDelete(ctx);
    default:
      throw new ApiError('MethodNotAllowed', `method ${req.method} is not allowed`);
  }
}

function authenticate(opts: HttpServerOptions, req: IncomingMessage): UserInfo | undefined {
  const socket = req.socket as TLSSocket;
  const peer = socket.authorized ? socket.getPeerCertificate() : undefined;
  return opts.authenticator.authenticate({
    headers: req.headers,
    peerCertificate: peer && Object.keys(peer).length ? { subject: peer.subject as { CN?: string; O?: string | string[] } } : null,
  });
}

function check(opts: HttpServerOptions, user: UserInfo, attrs: RequestAttributes): void {
  const d = authorize(user, attrs, opts.authorizeOptions);
  if (!d.allowed) throw forbiddenError(user, attrs, d.reason);
}

export function attributesOf(method: string, rr: ResourceRequest, q: URLSearchParams): RequestAttributes {
  let verb: string;
  const watch = rr.legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1';
  switch (method) {
    case 'GET':
      verb = watch ? 'watch' : rr.name ? 'get' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = rr.name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = method.toLowerCase();
  }
  const attrs: NodeRequestAttributes = { verb, group: rr.group, resource: rr.ri.plural, subresource: rr.subresource, namespace: rr.namespace, name: rr.name };
  // The node authorizer lets a node list/watch pods only with spec.nodeName=<itself>.
  const fieldSelector = q.get('fieldSelector');
  if ((verb === 'list' || verb === 'watch') && fieldSelector) attrs.fieldSelector = fieldSelector;
  return attrs;
}
