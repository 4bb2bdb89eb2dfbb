// Composition root of the apiserver: store → watch hub → registry → HTTPS server, then the
// scheduler and controllers, which use the registry like any other client.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resourceFor } from '../api/resources.js';
import { isAlreadyExists } from '../lib/errors.js';
import { logger } from '../lib/logger.js';
import type { ApiserverConfig } from './config.js';
import { createApiHttpServer } from './http/server.js';
import { KindHooks } from './registry/hooks.js';
import { StoreRegistry } from './registry/registry.js';
import type { UserInfo } from './registry/types.js';
import { openStore } from './store/index.js';
import { WatchHub } from './store/watch-hub.js';
import { startScheduler } from './scheduler/scheduler.js';
import { startControllers } from './controllers/index.js';
import { startAgentServer, type RunningAgentServer } from './agents/agent-service.js';
import { ClusterCache } from './agents/fanout.js';
import { createAgentProxy } from './agents/log-proxy.js';
import { GraphNodeAuthorizer } from './auth/node-authorizer.js';

export interface RunningApiserver {
  /** https://HOST:PORT (the real port when listen port was 0) */
  url: string;
  port: number;
  /** the agents' gRPC port (the real one when agent listen port was 0) */
  agentPort: number;
  close(): Promise<void>;
}

const isWildcard = (h: string): boolean => h === '0.0.0.0' || h === '::' || h === '';

const SYSTEM: UserInfo = { name: 'system:apiserver', groups: ['system:masters'] };
const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function kingletVersion(): string {
  // dist/apiserver/main.js is two levels below package.json, the source one level.
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'kinglet') return pkg.version;
    } catch {
      // not there
    }
  }
  return 'unknown';
}

export async function startApiserver(cfg: ApiserverConfig): Promise<RunningApiserver> {
  const log = logger('apiserver');
  // 1. Storage and the watch history.
  const store = await openStore({ dataDir: cfg.dataDir, etcdEndpoints: cfg.etcdEndpoints });
  const hub = new WatchHub(store, { historySize: Number(process.env.KINGLET_WATCH_HISTORY ?? 10_000) });
  await hub.start();
  // 2. The registry, with allocators rebuilt from what is stored.
  const hooks = new KindHooks(cfg.serviceCidr);
  const registry = new StoreRegistry(store, hub, hooks);
  await hooks.load(registry);
  await bootstrapObjects(registry);
  // 3. What nodes see (one shared cache), the agents' gRPC service, and node authorization.
  const cache = new ClusterCache(registry, logger('agents'));
  await cache.start();
  let agents: RunningAgentServer;
  try {
    agents = await startAgentServer({
      host: cfg.agentListenHost,
      port: cfg.agentListenPort,
      tls: cfg.tls,
      registry,
      cache,
      dataDir: cfg.dataDir,
      serviceCidr: cfg.serviceCidr,
      clusterCidr: cfg.clusterCidr,
      log: logger('agents'),
    });
  } catch (e) {
    cache.stop();
    throw e;
  }
  // 4. The HTTPS API.
  const server = createApiHttpServer({
    tls: cfg.tls,
    authenticator: cfg.authenticator,
    authorizeOptions: { nodeAuthorizer: new GraphNodeAuthorizer(cache) },
    agentProxy: createAgentProxy(agents.sessions),
    bootstrap: (req) => {
      // The address the caller reached us on, when we listen on every interface.
      const local = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
      const base = isWildcard(cfg.agentListenHost) ? (isWildcard(cfg.listenHost) ? local : cfg.listenHost) : cfg.agentListenHost;
      return { caPem: cfg.tls.caCertPem, agentEndpoint: `${base.includes(':') ? `[${base}]` : base}:${agents.port}` };
    },
    registry,
    log,
    version: kingletVersion(),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.listenPort, cfg.listenHost, () => resolve());
  }).catch(async (e) => {
    await agents.close();
    cache.stop();
    throw e;
  });
  const port = (server.address() as AddressInfo).port;
  const host = cfg.listenHost === '0.0.0.0' || cfg.listenHost === '::' ? '127.0.0.1' : cfg.listenHost;
  // 5. Background loops.
  const abort = new AbortController();
  const scheduler = startScheduler(registry, { log: logger('scheduler'), signal: abort.signal });
  startControllers(registry, cfg, { log: logger('controllers'), signal: abort.signal });
  log.info({ port, host: cfg.listenHost }, 'apiserver ready');
  return {
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    agentPort: agents.port,
    async close() {
      abort.abort();
      scheduler.stop();
      await agents.close();
      cache.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      hub.stop();
      await store.close();
    },
  };
}

/** The namespaces every cluster has, created once and never again (a user may delete kube-public). */
async function bootstrapObjects(registry: StoreRegistry): Promise<void> {
  const nsRI = resourceFor('', 'namespaces')!;
  for (const name of BUILTIN_NAMESPACES) {
    try {
      await registry.create(nsRI, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { user: SYSTEM, fieldManager: 'kinglet-apiserver' });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
}
