// The agent's configuration: the fixed CLI contract plus derived defaults. Pure apart from reading
// this host's interfaces for the default node IP.
import { createHash } from 'node:crypto';
import { networkInterfaces, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { nthIp, parseCidr } from '../lib/cidr.js';
import { dnsSettings, type DnsSettings } from './dns/node-dns.js';

export interface AgentConfig {
  /** https://HOST:PORT of the apiserver */
  server: string;
  /** join token; optional once DIR holds a node credential */
  token?: string;
  nodeName: string;
  dataDir: string;
  /** unix:///path/docker.sock */
  dockerHost: string;
  nodeIp: string;
  /** PLEG relist period */
  relistMs: number;
  /** GC period */
  gcMs: number;
  /** the node's cluster DNS server (agent/dns) */
  dns: DnsSettings;
  /** host-gw: routes, forward accept and pod NAT (agent/network/); none: Docker's bridge only */
  podNetwork: PodNetworkMode;
  /** run the service proxy (iptables rules for Service VIPs and node ports) */
  proxy: boolean;
}

export type PodNetworkMode = 'host-gw' | 'none';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

export interface AgentFlags {
  server: string;
  token?: string;
  nodeName?: string;
  dataDir: string;
  dockerHost?: string;
  nodeIp?: string;
  /** false: no cluster DNS server on this node */
  dns?: boolean;
  dnsListen?: string;
  dnsUpstreams?: string[];
  podNetwork?: string;
  /** default true */
  proxy?: boolean;
}

/** First non-internal IPv4 of this host (what peers would use), else loopback. */
export function defaultNodeIp(ifaces = networkInterfaces()): string {
  for (const list of Object.values(ifaces)) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export function agentConfig(flags: AgentFlags): AgentConfig {
  if (!/^https:\/\/[^/]+/.test(flags.server)) throw new Error(`--server must be an https:// URL, got ${flags.server}`);
  const nodeName = (flags.nodeName ?? hostname()).toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(nodeName)) throw new Error(`--node-name "${nodeName}" is not a valid DNS subdomain`);
  const dockerHost = flags.dockerHost ?? DEFAULT_DOCKER_HOST;
  if (!dockerHost.startsWith('unix://')) throw new Error(`--docker-host must be unix:///path, got ${dockerHost}`);
  const nodeIp = flags.nodeIp ?? defaultNodeIp();
  // host-gw routes other nodes' pods via this node's IP: a loopback one is routable by nobody, so an
  // agent on 127.0.0.1 (single-node tests on the host) leaves the host's routes and iptables alone.
  const loopback = nodeIp.startsWith('127.');
  const podNetwork = flags.podNetwork ?? (loopback ? 'none' : 'host-gw');
  if (podNetwork !== 'host-gw' && podNetwork !== 'none') throw new Error(`--pod-network must be host-gw or none, got ${podNetwork}`);
  if (podNetwork === 'host-gw' && loopback) throw new Error(`--pod-network host-gw needs a routable --node-ip, got ${nodeIp}`);
  return {
    server: flags.server,
    token: flags.token || undefined,
    nodeName,
    dataDir: resolve(flags.dataDir),
    dockerHost,
    nodeIp,
    relistMs: 5_000,
    gcMs: 60_000,
    dns: dnsSettings(flags.dns, flags.dnsListen, flags.dnsUpstreams),
    podNetwork,
    proxy: flags.proxy ?? true,
  };
}

export const podsDir = (cfg: AgentConfig): string => join(cfg.dataDir, 'pods');

export interface PodNetworkSpec {
  name: string;
  subnet: string;
  gateway: string;
  bridge: string;
}

/**
 * The node's Docker network for pods. The name carries the subnet (a node that gets another
 * podCIDR gets another network instead of a clash); the bridge name (≤ 15 chars) hashes the daemon
 * socket and subnet, so two daemons on one host never fight over one Linux bridge.
 */
export function podNetworkSpec(podCidr: string, dockerHost: string): PodNetworkSpec {
  const c = parseCidr(podCidr);
  const hash = createHash('sha256').update(`${dockerHost}|${c.text}`).digest('hex').slice(0, 10);
  return { name: `kinglet-pods-${c.text.replace('/', '-')}`, subnet: c.text, gateway: nthIp(c, 1), bridge: `kp${hash}` };
}
