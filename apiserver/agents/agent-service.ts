// The gRPC side of the apiserver: Join (bootstrap token → node certificate) and Connect (one
// bidirectional stream per node, authenticated by its verified client certificate). TLS uses the
// apiserver's serving certificate; client certificates are requested but not required, because
// a joining node has none yet.
import * as grpc from '@grpc/grpc-js';
import { X509Certificate } from 'node:crypto';
import type { Logger } from '../../lib/logger.js';
import { agentV1, type AgentMessage__Output, type AgentServiceHandlers, type ControlMessage } from '../../proto/load.js';
import type { Registry } from '../registry/types.js';
import type { ClusterCache } from './fanout.js';
import { join, JoinError, type JoinDeps } from './join.js';
import { NodeSession } from './node-stream.js';

export interface AgentServerOptions {
  host: string;
  port: number;
  tls: { caCertPem: string; caKeyPem: string; certPem: string; keyPem: string };
  registry: Registry;
  cache: ClusterCache;
  dataDir: string;
  serviceCidr: string;
  clusterCidr: string;
  log: Logger;
}

export interface RunningAgentServer {
  port: number;
  sessions: NodeSessions;
  close(): Promise<void>;
}

/** The connected nodes; the newest stream of a node replaces an older one. */
export class NodeSessions {
  private readonly byNode = new Map<string, NodeSession>();
  get(node: string): NodeSession | undefined {
    const s = this.byNode.get(node);
    return s && !s.isClosed() ? s : undefined;
  }
  add(s: NodeSession): void {
    this.byNode.get(s.node)?.close();
    this.byNode.set(s.node, s);
  }
  remove(s: NodeSession): void {
    if (this.byNode.get(s.node) === s) this.byNode.delete(s.node);
    s.close();
  }
  closeAll(): void {
    for (const s of this.byNode.values()) s.close();
    this.byNode.clear();
  }
}

// A provider of fixed material (grpc-js only offers "client certificate optional" through
// certificate providers). It answers on a microtask: grpc-js subscribes to the provider before it
// registers the server's own watcher, so a synchronous answer would never reach the server.
function staticProvider(ca?: Buffer, identity?: { certificate: Buffer; privateKey: Buffer }): grpc.experimental.CertificateProvider {
  return {
    addCaCertificateListener: (l) => ca && queueMicrotask(() => l({ caCertificate: ca })),
    removeCaCertificateListener: () => undefined,
    addIdentityCertificateListener: (l) => identity && queueMicrotask(() => l(identity)),
    removeIdentityCertificateListener: () => undefined,
  };
}

export function serverCredentials(tls: AgentServerOptions['tls']): grpc.ServerCredentials {
  return grpc.experimental.createCertificateProviderServerCredentials(
    staticProvider(undefined, { certificate: Buffer.from(tls.certPem), privateKey: Buffer.from(tls.keyPem) }),
    staticProvider(Buffer.from(tls.caCertPem)),
    false,
  );
}

/** The node name of a CA-verified client certificate (CN system:node:NAME, O system:nodes). */
export function nodeOfPeer(call: grpc.ServerDuplexStream<AgentMessage__Output, ControlMessage>): string | undefined {
  const peer = call.getAuthContext().sslPeerCertificate;
  if (!peer?.raw) return undefined;
  const subject = peer.subject as { CN?: string; O?: string | string[] };
  const orgs = subject.O === undefined ? [] : Array.isArray(subject.O) ? subject.O : [subject.O];
  if (!orgs.includes('system:nodes') || typeof subject.CN !== 'string' || !subject.CN.startsWith('system:node:')) return undefined;
  // Also refuse certificates past their validity (TLS checked the chain at handshake time).
  const x = new X509Certificate(peer.raw);
  if (Date.parse(x.validTo) < Date.now()) return undefined;
  const name = subject.CN.slice('system:node:'.length);
  return name === '' ? undefined : name;
}

export async function startAgentServer(opts: AgentServerOptions): Promise<RunningAgentServer> {
  const sessions = new NodeSessions();
  const joinDeps: JoinDeps = {
    registry: opts.registry,
    dataDir: opts.dataDir,
    ca: { certPem: opts.tls.caCertPem, keyPem: opts.tls.caKeyPem },
    serviceCidr: opts.serviceCidr,
    clusterCidr: opts.clusterCidr,
  };
  const handlers: AgentServiceHandlers = {
    Join(call, callback) {
      const r = call.request;
      join(joinDeps, { token: r.token, nodeName: r.nodeName, csrPem: r.csrPem }).then(
        (res) => {
          opts.log.info({ node: r.nodeName, podCIDR: res.cluster.podCidr }, 'node joined');
          callback(null, res);
        },
        (err: unknown) => {
          const code =
            err instanceof JoinError
              ? { unauthenticated: grpc.status.UNAUTHENTICATED, invalid: grpc.status.INVALID_ARGUMENT, exhausted: grpc.status.RESOURCE_EXHAUSTED }[err.kind]
              : grpc.status.INTERNAL;
          if (!(err instanceof JoinError)) opts.log.error({ err, node: r.nodeName }, 'join failed');
          else opts.log.warn({ node: r.nodeName, reason: err.message }, 'join refused');
          callback({ code, details: (err as Error).message });
        },
      );
    },
    Connect(call) {
      connect(call, opts, sessions);
    },
  };
  const server = new grpc.Server({ 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_permit_without_calls': 1 });
  server.addService(agentV1().AgentService.service, handlers as unknown as grpc.UntypedServiceImplementation);
  const hostPort = `${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(hostPort, serverCredentials(opts.tls), (err, p) => (err ? reject(err) : resolve(p))),
  );
  opts.log.info({ port, host: opts.host }, 'agent gRPC server ready');
  return {
    port,
    sessions,
    async close() {
      sessions.closeAll();
      await new Promise<void>((r) => server.tryShutdown(() => r()));
      server.forceShutdown();
    },
  };
}

function connect(call: grpc.ServerDuplexStream<AgentMessage__Output, ControlMessage>, opts: AgentServerOptions, sessions: NodeSessions): void {
  const node = nodeOfPeer(call);
  if (!node) {
    call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: 'a node client certificate is required' });
    return;
  }
  let session: NodeSession | undefined;
  let replaced = false;
  const log = opts.log.child ? opts.log.child({ node }) : opts.log;
  const end = (why: string) => {
    if (!session) return;
    log.info({ why }, 'agent disconnected');
    const s = session;
    session = undefined;
    s.onClose = undefined;
    sessions.remove(s);
  };
  call.on('data', (msg: AgentMessage__Output) => {
    if (replaced) return;
    // 1. The first message must be Hello naming the certificate's node.
    if (!session) {
      if (!msg.hello || msg.hello.nodeName !== node) {
        call.emit('error', { code: grpc.status.PERMISSION_DENIED, details: `the first message must be Hello with node_name "${node}"` });
        return;
      }
      if (!opts.cache.hasSynced()) {
        call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'the apiserver is starting; try again' });
        return;
      }
      session = new NodeSession(node, opts.cache, opts.registry, (m) => call.write(m), log);
      // A newer stream of the same node replaces this one: end our call too.
      session.onClose = () => {
        session = undefined;
        replaced = true;
        try {
          call.end();
        } catch {
          // already closed
        }
      };
      sessions.add(session);
      log.info({ agentVersion: msg.hello.agentVersion, lastRevision: msg.hello.lastRevision }, 'agent connected');
      // 2. Always a fresh snapshot: it is cheap and the agent replaces its state atomically.
      session.start();
      return;
    }
    session.receive(msg);
  });
  call.on('end', () => {
    end('stream ended');
    call.end();
  });
  call.on('error', () => end('stream error'));
  call.on('cancelled', () => end('cancelled'));
  call.on('close', () => end('closed'));
}
