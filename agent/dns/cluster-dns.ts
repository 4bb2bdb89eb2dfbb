// The node's cluster DNS: the zone kept current from the desired state, the forwarder, and the
// listeners, bound (and re-tried until bound) on the cluster DNS IP. A failure to bind is logged
// and retried, never fatal: pods then see a timeout for a while, the agent keeps running pods.
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../lib/logger.js';
import type { DesiredChange } from '../apiclient/types.js';
import { handleQuery } from './handler.js';
import { listenDns, type DnsListener } from './server.js';
import { UpstreamForwarder, type UpstreamServer } from './upstream.js';
import { ClusterZone } from './zone.js';

/** What the DNS reads of the desired state (owned here, satisfied by DesiredState). */
export interface DnsSource {
  list(kind: 'Service' | 'Endpoints'): KubeObject[];
  synced(): boolean;
  onChange(cb: (changes: DesiredChange[], snapshot: boolean) => void): () => void;
}

export interface ClusterDnsOptions {
  host: string;
  port: number;
  domain: string;
  source: DnsSource;
  /** empty: names outside the cluster are REFUSED */
  upstreams: UpstreamServer[];
  /** runs before each bind attempt, e.g. making host a local address */
  prepare?: () => Promise<void>;
  log: Logger;
  retryMs?: number;
}

export interface ClusterDns {
  /** resolves once listening (tests await it; the agent does not) */
  readonly listening: Promise<DnsListener>;
  stop(): Promise<void>;
}

export function startClusterDns(opts: ClusterDnsOptions): ClusterDns {
  const { source, log } = opts;
  // 1. the zone: built on the first query after a snapshot, patched in place by deltas
  let zone: ClusterZone | undefined;
  // starts at seconds since the epoch, so the SOA serial keeps growing across restarts
  let serial = Math.floor(Date.now() / 1000);
  const off = source.onChange((changes, snapshot) => {
    if (snapshot) {
      serial = Math.max(serial + 1, zone?.serial ?? 0);
      zone = undefined;
    } else zone?.apply(changes);
  });
  const currentZone = (): ClusterZone => (zone ??= new ClusterZone({ services: source.list('Service'), endpoints: source.list('Endpoints') }, opts.domain, ++serial));
  const upstream = opts.upstreams.length ? new UpstreamForwarder({ servers: opts.upstreams }) : undefined;
  const handle = (msg: Buffer, transport: 'udp' | 'tcp') => handleQuery(msg, transport, { zone: currentZone, synced: () => source.synced(), upstream, log });

  // 2. bind, retried until it works or stop()
  let stopped = false;
  let listener: DnsListener | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let announce!: (l: DnsListener) => void;
  const listening = new Promise<DnsListener>((r) => (announce = r));
  const attempt = async (): Promise<void> => {
    try {
      await opts.prepare?.();
      const l = await listenDns({ host: opts.host, port: opts.port, handle, log });
      if (stopped) return void (await l.close());
      listener = l;
      log.info({ address: `${l.host}:${l.port}`, upstreams: opts.upstreams.map((u) => `${u.host}:${u.port}`) }, 'cluster dns listening');
      announce(l);
    } catch (e) {
      if (stopped) return;
      // doubling up to a minute: a node that can never bind (not root) logs rarely, not forever
      const delay = Math.min(60_000, (opts.retryMs ?? 5_000) * 2 ** Math.min(failures++, 4));
      log.warn({ address: `${opts.host}:${opts.port}`, err: (e as Error).message, retryMs: delay }, 'cluster dns cannot listen; retrying');
      timer = setTimeout(() => void attempt(), delay);
      timer.unref();
    }
  };
  void attempt();

  return {
    listening,
    async stop() {
      stopped = true;
      off();
      if (timer) clearTimeout(timer);
      await listener?.close();
      listener = undefined;
    },
  };
}
