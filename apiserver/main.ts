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

export interface RunningApiserver {
  /** https://HOST:PORT (the real port when listen port was 0) */
  url: string;
  port: number;
  close(): Promise<void>;
}

const SYSTEM: UserInfo = { name: 'system:apiserver', groups: ['system:masters'] };
const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function kingletVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
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
  // 3. The HTTPS API.
  const server = createApiHttpServer({ tls: cfg.tls, authenticator: cfg.authenticator, registry, log, version: kingletVersion() });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.listenPort, cfg.listenHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = cfg.listenHost === '0.0.0.0' || cfg.listenHost === '::' ? '127.0.0.1' : cfg.listenHost;
  // 4. Background loops.
  const abort = new AbortController();
  const scheduler = startScheduler(registry, { log: logger('scheduler'), signal: abort.signal });
  startControllers(registry, cfg, { log: logger('controllers'), signal: abort.signal });
  log.info({ port, host: cfg.listenHost }, 'apiserver ready');
  return {
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    async close() {
      abort.abort();
      scheduler.stop();
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
