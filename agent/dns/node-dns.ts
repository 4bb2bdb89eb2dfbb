// Wiring of the cluster DNS into the agent: where it listens and whom it forwards to, from the
// agent's settings, the cluster settings and the node's resolv.conf.
import type { Logger } from '../../lib/logger.js';
import { startClusterDns, type ClusterDns, type DnsSource } from './cluster-dns.js';
import { ensureListenAddress } from './listen-address.js';
import type { ResolvConf } from './resolv-conf.js';
import { parseUpstream, type UpstreamServer } from './upstream.js';

export interface DnsSettings {
  enabled: boolean;
  /** default: the cluster DNS IP, port 53, made a local address on kinglet0 */
  listen?: UpstreamServer;
  /** default: the node's resolv.conf nameservers; [] = REFUSED for names outside the cluster */
  upstreams?: UpstreamServer[];
}

/** --dns-listen IP:PORT (port 0: any free one) and --dns-upstream (repeated; "none" alone = no forwarding). */
export function dnsSettings(enabled: boolean | undefined, listen: string | undefined, upstreams: string[] | undefined): DnsSettings {
  const ups = upstreams?.length ? (upstreams.length === 1 && upstreams[0] === 'none' ? [] : upstreams.map((u) => parseUpstream(u))) : undefined;
  return { enabled: enabled ?? true, ...(listen ? { listen: parseUpstream(listen, 'DNS listen address', 0) } : {}), ...(ups ? { upstreams: ups } : {}) };
}

export function startNodeDns(s: DnsSettings, clusterDns: string, domain: string, source: DnsSource, hostDns: ResolvConf, log: Logger): ClusterDns | undefined {
  if (!s.enabled) return undefined;
  const listen = s.listen ?? (clusterDns ? { host: clusterDns, port: 53 } : undefined);
  if (!listen) {
    log.warn('no cluster DNS IP from the apiserver and no --dns-listen: cluster DNS not started');
    return undefined;
  }
  // never forward to ourselves: a node whose resolv.conf already names the cluster DNS would loop
  const upstreams = (s.upstreams ?? hostDns.servers.map((h) => ({ host: h, port: 53 }))).filter((u) => !(u.host === listen.host && u.port === listen.port));
  return startClusterDns({
    host: listen.host,
    port: listen.port,
    domain,
    source,
    upstreams,
    prepare: s.listen ? undefined : () => ensureListenAddress(listen.host),
    log,
  });
}
