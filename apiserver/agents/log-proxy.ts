// pods/log through the node's agent stream: the node needs no open port. The request is checked
// here (container, binding, connection), then a LogRequest opens a session on the agent and its
// SessionData chunks are streamed to the HTTP response as text/plain.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../lib/errors.js';
import { boolParam, intParam, type HandlerContext } from '../http/handlers/context.js';
import type { NodeSessions } from './agent-service.js';

// Until headers go out an agent error can still become a proper Status; a follow with no output
// yet must not leave the client waiting for headers forever.
const HEADER_DELAY_MS = 300;

/** The container a log request is for: the named one, or the only one; 400 as Kubernetes words it. */
export function logContainer(pod: KubeObject, requested: string | null): string {
  const name = pod.metadata.name ?? '';
  const app = ((pod.spec?.containers ?? []) as Array<{ name: string }>).map((c) => c.name);
  const init = ((pod.spec?.initContainers ?? []) as Array<{ name: string }>).map((c) => c.name);
  const eph = ((pod.spec?.ephemeralContainers ?? []) as Array<{ name: string }>).map((c) => c.name);
  if (!requested) {
    if (app.length === 1) return app[0]!;
    let msg = `a container name must be specified for pod ${name}, choose one of: [${app.join(' ')}]`;
    if (init.length > 0) msg += ` or one of the init containers: [${init.join(' ')}]`;
    if (eph.length > 0) msg += ` or one of the ephemeral containers: [${eph.join(' ')}]`;
    throw new ApiError('BadRequest', msg);
  }
  if (![...app, ...init, ...eph].includes(requested)) throw new ApiError('BadRequest', `container ${requested} is not valid for pod ${name}`);
  return requested;
}

export function createAgentProxy(sessions: NodeSessions): (ctx: HandlerContext) => Promise<void> {
  return async (ctx) => {
    const sub = ctx.rr.subresource;
    if (sub !== 'log') throw new ApiError('BadRequest', `${sub} is not supported yet`);
    return serveLogs(ctx, sessions);
  };
}

async function serveLogs(ctx: HandlerContext, sessions: NodeSessions): Promise<void> {
  const { query, res } = ctx;
  // 1. The pod, its container, its node, and that node's stream.
  const pod = await ctx.registry.get(ctx.rr.ri, ctx.rr.namespace, ctx.rr.name!);
  const container = logContainer(pod, query.get('container'));
  const node = pod.spec?.nodeName as string | undefined;
  if (!node) throw new ApiError('BadRequest', `pod ${pod.metadata.name} does not have a host assigned`);
  const session = sessions.get(node);
  if (!session) throw new ApiError('ServiceUnavailable', `node "${node}" is not connected to the apiserver`);
  const tail = intParam(query, 'tailLines');
  const since = intParam(query, 'sinceSeconds');
  const limit = intParam(query, 'limitBytes');
  const follow = boolParam(query, 'follow');

  // 2. Open the session and stream what comes back.
  const id = randomUUID();
  let headersSent = false;
  let finished = false;
  const sendHeaders = () => {
    if (headersSent || finished) return;
    headersSent = true;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
  };
  const timer = setTimeout(sendHeaders, HEADER_DELAY_MS);
  await new Promise<void>((resolve) => {
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      resolve();
    };
    // 3. Client gone before the agent finished: tell the agent to stop.
    res.on('close', () => {
      if (!finished) session.cancelSession(id);
      finish();
    });
    session.openSession(
      id,
      {
        data(_stream, data) {
          if (finished) return;
          sendHeaders();
          res.write(data);
        },
        end(errorStatus) {
          if (finished) return;
          if (errorStatus && !headersSent) {
            const code = typeof errorStatus.code === 'number' ? errorStatus.code : 500;
            const text = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...errorStatus });
            res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
            res.end(text);
          } else {
            if (errorStatus?.message) res.write(`\n${String(errorStatus.message)}\n`);
            sendHeaders();
            res.end();
          }
          finish();
        },
      },
      {
        logRequest: {
          sessionId: id,
          namespace: pod.metadata.namespace ?? 'default',
          pod: pod.metadata.name ?? '',
          container,
          follow,
          previous: boolParam(query, 'previous'),
          tailLines: tail ?? -1,
          sinceSeconds: since ?? 0,
          sinceTime: query.get('sinceTime') ?? '',
          timestamps: boolParam(query, 'timestamps'),
          limitBytes: limit ?? 0,
        },
      },
    );
  });
}
