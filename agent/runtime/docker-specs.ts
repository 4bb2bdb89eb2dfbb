// Pure translation of the runtime's CRI-shaped configs into Docker Engine API create bodies
// (POST /containers/create). Kept apart from docker-runtime.ts so it can be unit-tested as data.
import { identityLabels } from './labels.js';
import type { ContainerConfig, SandboxConfig } from './runtime.js';

/** The subset of Docker's create body kinglet sets (field names as in the Engine API). */
export interface DockerCreateBody {
  name: string;
  Image: string;
  Hostname?: string;
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  Labels: Record<string, string>;
  ExposedPorts?: Record<string, Record<string, never>>;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Tty?: boolean;
  HostConfig: Record<string, unknown>;
}

/** Docker's json-file driver, bounded so a chatty container cannot fill the disk. */
export const LOG_CONFIG = { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } };
const NO_RESTART = { Name: 'no', MaximumRetryCount: 0 };

/** "IP name1 name2" (hosts-file style) → Docker's ExtraHosts "name:IP" entries. */
export function toExtraHosts(lines: string[] | undefined): string[] | undefined {
  if (!lines?.length) return undefined;
  const out: string[] = [];
  for (const line of lines) {
    const [ip, ...names] = line.trim().split(/\s+/);
    if (!ip) continue;
    for (const n of names) out.push(`${n}:${ip}`);
  }
  return out.length ? out : undefined;
}

export function portBindings(
  mappings: SandboxConfig['portMappings'],
): { exposed?: DockerCreateBody['ExposedPorts']; bindings?: Record<string, { HostIp: string; HostPort: string }[]> } {
  const withHost = (mappings ?? []).filter((m) => m.hostPort > 0);
  if (!withHost.length) return {};
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const m of withHost) {
    const key = `${m.containerPort}/${m.protocol.toLowerCase()}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: m.hostIP ?? '', HostPort: String(m.hostPort) });
  }
  return { exposed, bindings };
}

export function sandboxBody(cfg: SandboxConfig, name: string, image: string): DockerCreateBody {
  const host = cfg.hostNetwork === true;
  // Docker rejects DNS and port publishing with host networking (and ignores ports); Kubernetes
  // uses the node's resolver and ports there anyway.
  const ports = host ? {} : portBindings(cfg.portMappings);
  return {
    name,
    Image: image,
    Hostname: host ? undefined : cfg.hostname,
    Labels: identityLabels(cfg.identity, cfg.labels),
    ExposedPorts: ports.exposed,
    HostConfig: {
      NetworkMode: host ? 'host' : (cfg.network ?? 'bridge'),
      Dns: host ? undefined : cfg.dns?.servers,
      DnsSearch: host ? undefined : cfg.dns?.searches,
      DnsOptions: host ? undefined : cfg.dns?.options,
      ExtraHosts: toExtraHosts(cfg.extraHosts),
      PortBindings: ports.bindings,
      // the agent decides restarts; Docker must never restart behind its back
      RestartPolicy: NO_RESTART,
      LogConfig: LOG_CONFIG,
      // app containers join with IpcMode container:<sandbox>, which needs a shareable IPC namespace
      IpcMode: 'shareable',
    },
  };
}

/** Kubernetes semantics: command → Entrypoint (and the image's Cmd is dropped), args → Cmd. */
export function entrypointAndCmd(command?: string[], args?: string[]): { Entrypoint?: string[]; Cmd?: string[] } {
  const ep = command?.length ? command : undefined;
  const cmd = args?.length ? args : undefined;
  // With Entrypoint set and Cmd empty, Docker does not fall back to the image's Cmd: what we want.
  return { Entrypoint: ep, Cmd: cmd };
}

export function bindSpec(m: { hostPath: string; containerPath: string; readOnly?: boolean }): string {
  return `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`;
}

export function containerBody(cfg: ContainerConfig, name: string): DockerCreateBody {
  const ns = `container:${cfg.sandboxId}`;
  const hc: Record<string, unknown> = {
    NetworkMode: ns,
    IpcMode: ns,
    Binds: cfg.mounts.length ? cfg.mounts.map(bindSpec) : undefined,
    Tmpfs: cfg.tmpfs && Object.keys(cfg.tmpfs).length ? cfg.tmpfs : undefined,
    GroupAdd: cfg.groupAdd?.length ? cfg.groupAdd : undefined,
    Privileged: cfg.privileged ?? false,
    ReadonlyRootfs: cfg.readOnlyRootfs ?? false,
    CapAdd: cfg.capAdd?.length ? cfg.capAdd : undefined,
    CapDrop: cfg.capDrop?.length ? cfg.capDrop : undefined,
    SecurityOpt: cfg.noNewPrivileges ? ['no-new-privileges'] : undefined,
    RestartPolicy: NO_RESTART,
    LogConfig: LOG_CONFIG,
  };
  if (cfg.memoryBytes) {
    hc.Memory = cfg.memoryBytes;
    // as the kubelet: no swap beyond the limit (ignored with a warning where the kernel lacks it)
    hc.MemorySwap = cfg.memoryBytes;
  }
  if (cfg.cpuQuota) hc.CpuQuota = cfg.cpuQuota;
  if (cfg.cpuPeriod) hc.CpuPeriod = cfg.cpuPeriod;
  if (cfg.cpuShares) hc.CpuShares = cfg.cpuShares;
  if (cfg.pidsLimit) hc.PidsLimit = cfg.pidsLimit;
  return {
    name,
    Image: cfg.image,
    ...entrypointAndCmd(cfg.command, cfg.args),
    Env: cfg.env,
    WorkingDir: cfg.workingDir || undefined,
    User: cfg.user || undefined,
    Labels: identityLabels(cfg.identity, cfg.labels),
    OpenStdin: cfg.stdin ?? false,
    StdinOnce: false,
    Tty: cfg.tty ?? false,
    HostConfig: hc,
  };
}
