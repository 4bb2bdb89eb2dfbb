// Pod-level network settings of the sandbox: hostname/domain, DNS per dnsPolicy (kubelet dns.go),
// /etc/hosts aliases and host ports.
import type { KubeObject } from '../../api/types.js';
import type { NodeFacts } from '../podworker/deps.js';
import type { SandboxConfig } from '../runtime/runtime.js';

export type DnsSettings = NonNullable<SandboxConfig['dns']>;

const HOSTNAME_MAX = 63;

/** pod.spec.hostname or the pod name, cut to 63 characters without a trailing '-' or '.'. */
export function podHostname(pod: KubeObject): string {
  const name: string = pod.spec?.hostname || pod.metadata.name || '';
  if (name.length <= HOSTNAME_MAX) return name;
  return name.slice(0, HOSTNAME_MAX).replace(/[-.]+$/, '');
}

/** `<subdomain>.<ns>.svc.<domain>` when the pod has a subdomain. */
export function podDomain(pod: KubeObject, clusterDomain: string): string | undefined {
  const sub: string | undefined = pod.spec?.subdomain;
  return sub ? `${sub}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}` : undefined;
}

function optionStrings(opts: { name: string; value?: string }[] | undefined): string[] {
  return (opts ?? []).map((o) => (o.value !== undefined && o.value !== '' ? `${o.name}:${o.value}` : o.name));
}

function mergeOptions(base: string[], extra: string[]): string[] {
  const byName = new Map<string, string>();
  for (const o of [...base, ...extra]) byName.set(o.split(':', 1)[0], o);
  return [...byName.values()];
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/**
 * DNS for the sandbox; undefined = the runtime's default (the node's resolv.conf). An empty list in
 * the result likewise keeps the node's value for that part (Docker's per-field semantics).
 */
export function podDns(pod: KubeObject, node: NodeFacts): DnsSettings | undefined {
  let policy: string = pod.spec?.dnsPolicy || 'ClusterFirst';
  const cfg = pod.spec?.dnsConfig ?? {};
  const extra: DnsSettings = {
    servers: [...(cfg.nameservers ?? [])],
    searches: [...(cfg.searches ?? [])],
    options: optionStrings(cfg.options),
  };
  if (policy === 'ClusterFirst' && pod.spec?.hostNetwork) policy = 'Default';
  if (policy === 'ClusterFirstWithHostNet') policy = 'ClusterFirst';
  if (policy === 'ClusterFirst' && !node.clusterDns) policy = 'Default';
  if (policy === 'None') return extra;
  if (policy === 'ClusterFirst') {
    const d = node.clusterDomain;
    const ns = pod.metadata.namespace ?? 'default';
    return {
      servers: unique([node.clusterDns!, ...extra.servers]),
      searches: unique([`${ns}.svc.${d}`, `svc.${d}`, d, ...extra.searches]),
      options: mergeOptions(['ndots:5'], extra.options),
    };
  }
  // Default: the node's resolv.conf, with dnsConfig on top when given
  if (!extra.servers.length && !extra.searches.length && !extra.options.length) return undefined;
  return extra;
}

/** hostAliases → "IP name1 name2" lines. */
export function hostAliasLines(pod: KubeObject): string[] | undefined {
  const aliases = (pod.spec?.hostAliases ?? []) as { ip: string; hostnames?: string[] }[];
  const lines = aliases.filter((a) => a.ip && a.hostnames?.length).map((a) => `${a.ip} ${a.hostnames!.join(' ')}`);
  return lines.length ? lines : undefined;
}

export function portMappings(pod: KubeObject): SandboxConfig['portMappings'] {
  if (pod.spec?.hostNetwork) return undefined;
  const out: NonNullable<SandboxConfig['portMappings']> = [];
  for (const c of (pod.spec?.containers ?? []) as KubeObject[]) {
    for (const p of (c.ports ?? []) as KubeObject[]) {
      if (!p.hostPort) continue;
      out.push({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP', ...(p.hostIP ? { hostIP: p.hostIP } : {}) });
    }
  }
  return out.length ? out : undefined;
}
