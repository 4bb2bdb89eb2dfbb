// The ContainerConfigBuilder the pod worker uses: pod spec + prepared volumes + node facts →
// runtime configs. Pure: everything it needs arrives as arguments or constructor options.
import type { KubeObject } from '../../api/types.js';
import type { ContainerConfigBuilder, NodeFacts, ObjectLookup, PreparedVolumes } from '../podworker/deps.js';
import type { ContainerConfig, PullAuth, SandboxConfig } from '../runtime/runtime.js';
import { envStrings, expandCommand, resolveEnv } from './env.js';
import { pullAuthFor } from './pull-auth.js';
import { resourceSettings } from './resources.js';
import { hostAliasLines, podDns, podDomain, podHostname, portMappings } from './sandbox.js';
import { securitySettings, type ImageUserLookup } from './security.js';
import { specHash } from './spec-hash.js';

export interface BuilderOptions {
  /** the image's USER, for runAsNonRoot without runAsUser (unknown → treated as root) */
  imageUser?: ImageUserLookup;
  /** node-wide pids limit per container */
  pidsLimit?: number;
  /** non-fatal problems, e.g. invalid envFrom keys (kubelet's InvalidEnvironmentVariableNames) */
  onWarning?: (pod: KubeObject, reason: string, message: string) => void;
}

/** SandboxConfig plus the DNS domain for a pod with a subdomain (Docker's Domainname). */
export type PodSandboxConfig = SandboxConfig & { domainname?: string };

export class DefaultContainerConfigBuilder implements ContainerConfigBuilder {
  constructor(private readonly opts: BuilderOptions = {}) {}

  container(
    pod: KubeObject,
    container: KubeObject,
    kind: 'init' | 'app',
    restartCount: number,
    sandboxId: string,
    podIp: string,
    volumes: PreparedVolumes,
    lookup: ObjectLookup,
    node: NodeFacts,
  ): ContainerConfig {
    const name: string = container.name;
    // 1. environment (throws EnvError → CreateContainerConfigError)
    const env = resolveEnv(pod, container, {
      lookup,
      allocatable: { cpu: node.allocatableCpu, memory: node.allocatableMemory },
      podIp: podIp || undefined,
      podIps: podIp ? [podIp] : undefined,
      hostIp: node.nodeIp,
    });
    for (const w of env.warnings) this.opts.onWarning?.(pod, 'InvalidEnvironmentVariableNames', w);
    // 2. security (may throw for runAsNonRoot) and resources
    const sec = securitySettings(pod, container, this.opts.imageUser);
    const res = resourceSettings(container, this.opts.pidsLimit);
    // 3. assemble
    const cfg: ContainerConfig = {
      identity: {
        podUid: pod.metadata.uid ?? '',
        podName: pod.metadata.name ?? '',
        podNamespace: pod.metadata.namespace ?? 'default',
        containerName: name,
        kind,
        specHash: this.specHash(container),
        restartCount,
      },
      image: container.image,
      env: envStrings(env.vars),
      mounts: volumes.mounts[name] ?? [],
      sandboxId,
      ...sec,
      ...res,
    };
    const command = expandCommand(container.command, env.vars);
    const args = expandCommand(container.args, env.vars);
    if (command) cfg.command = command;
    if (args) cfg.args = args;
    if (container.workingDir) cfg.workingDir = container.workingDir;
    const tmpfs = volumes.tmpfs[name];
    if (tmpfs && Object.keys(tmpfs).length) cfg.tmpfs = tmpfs;
    if (container.stdin) cfg.stdin = true;
    if (container.tty) cfg.tty = true;
    return cfg;
  }

  sandbox(pod: KubeObject, node: NodeFacts): PodSandboxConfig {
    const hostNetwork = pod.spec?.hostNetwork === true;
    const cfg: PodSandboxConfig = {
      identity: {
        podUid: pod.metadata.uid ?? '',
        podName: pod.metadata.name ?? '',
        podNamespace: pod.metadata.namespace ?? 'default',
        containerName: 'POD',
        kind: 'sandbox',
        specHash: sandboxHash(pod),
        restartCount: 0,
      },
      // Docker refuses a hostname with the host network; the node's name is used there
      hostname: hostNetwork ? '' : podHostname(pod),
    };
    if (hostNetwork) cfg.hostNetwork = true;
    else if (node.podNetwork) cfg.network = node.podNetwork;
    const domain = hostNetwork ? undefined : podDomain(pod, node.clusterDomain);
    if (domain) cfg.domainname = domain;
    const dns = podDns(pod, node);
    cfg.dns = dns.dns;
    cfg.resolvConf = dns.resolvConf;
    for (const w of dns.warnings) this.opts.onWarning?.(pod, w.reason, w.message);
    const hosts = hostAliasLines(pod);
    if (hosts) cfg.extraHosts = hosts;
    const ports = portMappings(pod);
    if (ports) cfg.portMappings = ports;
    return cfg;
  }

  pullAuth(pod: KubeObject, image: string, lookup: ObjectLookup): PullAuth[] | undefined {
    return pullAuthFor(pod, image, lookup);
  }

  specHash(container: KubeObject): string {
    return specHash(container);
  }
}

/** What makes a sandbox stale: the pod-level network settings only. */
export function sandboxHash(pod: KubeObject): string {
  const s = pod.spec ?? {};
  return specHash({
    hostname: s.hostname,
    subdomain: s.subdomain,
    hostNetwork: s.hostNetwork,
    dnsPolicy: s.dnsPolicy,
    dnsConfig: s.dnsConfig,
    hostAliases: s.hostAliases,
    ports: ((s.containers ?? []) as KubeObject[]).map((c) => (c.ports ?? []).filter((p: KubeObject) => p.hostPort)),
  });
}
