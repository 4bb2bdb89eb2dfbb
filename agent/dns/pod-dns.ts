// A pod's resolver configuration from its dnsPolicy and dnsConfig, as the kubelet computes it
// (pkg/kubelet/network/dns: getPodDNSType, GetPodDNS, appendDNSConfig, formDNSConfigFitsLimits).
// Pure: the node's own resolv.conf arrives as data.
import type { KubeObject } from '../../api/types.js';
import type { ResolvConf } from './resolv-conf.js';

export interface PodDnsNode {
  /** the cluster DNS IP; undefined = none known (ClusterFirst falls back to Default) */
  clusterDns?: string;
  clusterDomain: string;
  /** the node's resolv.conf (the kubelet's --resolv-conf) */
  hostDns: ResolvConf;
}

export interface PodDnsWarning {
  reason: 'MissingClusterDNS' | 'DNSConfigForming';
  message: string;
}

export interface PodDnsResult {
  config: ResolvConf;
  warnings: PodDnsWarning[];
}

// the API's limits (validation.MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars)
const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_CHARS = 2048;
// longer search entries make some resolvers (glibc 2.28) abort(); the kubelet drops them
const MAX_SEARCH_ENTRY = 253;

const unique = (xs: string[]): string[] => [...new Set(xs)];

/** Later options override earlier ones by name, keeping the first position. */
export function mergeOptions(base: string[], extra: { name: string; value?: string | null }[]): string[] {
  const byName = new Map<string, string>();
  for (const o of base) byName.set(o.split(':', 1)[0]!, o);
  for (const o of extra) byName.set(o.name, o.value ? `${o.name}:${o.value}` : o.name);
  return [...byName.values()];
}

export type PodDnsType = 'None' | 'Cluster' | 'Host';

export function podDnsType(pod: KubeObject): PodDnsType {
  const policy: string = pod.spec?.dnsPolicy || 'ClusterFirst';
  if (policy === 'None') return 'None';
  if (policy === 'ClusterFirstWithHostNet') return 'Cluster';
  // host-network pods with plain ClusterFirst keep the node's resolver (it could not reach a
  // pod-network DNS in a real cluster either)
  if (policy === 'ClusterFirst' && !pod.spec?.hostNetwork) return 'Cluster';
  return 'Host';
}

function fitSearches(searches: string[], warnings: PodDnsWarning[]): string[] {
  let out = searches.slice(0, MAX_SEARCH_PATHS);
  let cut = out.length < searches.length;
  const kept = out.filter((s) => s.length <= MAX_SEARCH_ENTRY);
  cut ||= kept.length < out.length;
  out = kept;
  while (out.length && out.join(' ').length > MAX_SEARCH_CHARS) {
    out = out.slice(0, -1);
    cut = true;
  }
  if (cut) warnings.push({ reason: 'DNSConfigForming', message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${out.join(' ')}` });
  return out;
}

function fitServers(servers: string[], warnings: PodDnsWarning[]): string[] {
  if (servers.length <= MAX_NAMESERVERS) return servers;
  const out = servers.slice(0, MAX_NAMESERVERS);
  warnings.push({ reason: 'DNSConfigForming', message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${out.join(' ')}` });
  return out;
}

export function podDnsConfig(pod: KubeObject, node: PodDnsNode): PodDnsResult {
  const warnings: PodDnsWarning[] = [];
  const host: ResolvConf = { servers: [...node.hostDns.servers], searches: node.hostDns.searches.map((s) => s.replace(/\.$/, '')), options: [...node.hostDns.options] };
  let type = podDnsType(pod);
  if (type === 'Cluster' && !node.clusterDns) {
    // the kubelet's fallback, announced as an event rather than a failed pod
    warnings.push({ reason: 'MissingClusterDNS', message: `kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.` });
    type = 'Host';
  }
  // 1. the base: nothing, the cluster resolver with the node's search list after ours, or the node's
  let cfg: ResolvConf;
  if (type === 'None') cfg = { servers: [], searches: [], options: [] };
  else if (type === 'Cluster') {
    const d = node.clusterDomain;
    const ns = pod.metadata.namespace ?? 'default';
    cfg = { servers: [node.clusterDns!], searches: unique([`${ns}.svc.${d}`, `svc.${d}`, d, ...host.searches]), options: ['ndots:5'] };
  } else cfg = host;
  // 2. dnsConfig appended (options merged by name), 3. the API's limits
  const extra = pod.spec?.dnsConfig ?? {};
  cfg = {
    servers: unique([...cfg.servers, ...((extra.nameservers ?? []) as string[])]),
    searches: unique([...cfg.searches, ...((extra.searches ?? []) as string[])]),
    options: mergeOptions(cfg.options, (extra.options ?? []) as { name: string; value?: string }[]),
  };
  return { config: { servers: fitServers(cfg.servers, warnings), searches: fitSearches(cfg.searches, warnings), options: cfg.options }, warnings };
}
