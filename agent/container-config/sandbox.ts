// Pod-level network settings of the sandbox: hostname/domain, DNS per dnsPolicy (kubelet dns.go),
// /etc/hosts aliases and host ports.
import type { KubeObject } from '../../api/types.js';
import type { NodeFacts } from '../podworker/deps.js';
import type { SandboxConfig } from '../runtime/runtime.js';
import { podDnsConfig, type PodDnsWarning } from '../dns/pod-dns.js';
import { EMPTY_RESOLV_CONF, renderResolvConf } from '../dns/resolv-conf.js';

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

/**
 * DNS for the sandbox per dnsPolicy (kubelet semantics, agent/dns/pod-dns.ts): the full resolver
 * configuration and the resolv.conf text the runtime writes into the sandbox.
 */
export function podDns(pod: KubeObject, node: NodeFacts): { dns: DnsSettings; resolvConf: string; warnings: PodDnsWarning[] } {
  const { config, warnings } = podDnsConfig(pod, { clusterDns: node.clusterDns, clusterDomain: node.clusterDomain, hostDns: node.hostDns ?? EMPTY_RESOLV_CONF });
  return { dns: config, resolvConf: renderResolvConf(config), warnings };
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
