// Pure mapping from Docker's list/inspect JSON to the runtime's view (RuntimeContainer, RuntimePod).
// The shapes below are the fields kinglet reads, as the Engine API names them.
import { identityFromLabels } from './labels.js';
import type { ContainerState, RuntimeContainer, RuntimePod } from './runtime.js';

export interface DockerNetworks {
  Networks?: Record<string, { IPAddress?: string } | undefined> | null;
  IPAddress?: string;
}

export interface DockerListEntry {
  Id: string;
  Names?: string[];
  Image: string;
  ImageID: string;
  Labels?: Record<string, string> | null;
  State: string;
  /** unix seconds */
  Created: number;
  NetworkSettings?: DockerNetworks | null;
}

export interface DockerInspect {
  Id: string;
  Created: string;
  Image: string;
  Config: { Image: string; Labels?: Record<string, string> | null; Tty?: boolean };
  State: {
    Status: string;
    ExitCode?: number;
    OOMKilled?: boolean;
    Error?: string;
    StartedAt?: string;
    FinishedAt?: string;
  };
  NetworkSettings?: DockerNetworks | null;
  /** the host file Docker bind-mounts at /etc/resolv.conf (shared with container:<id> joiners) */
  ResolvConfPath?: string;
}

export function mapState(status: string): ContainerState {
  switch (status) {
    case 'created':
      return 'created';
    case 'running':
    case 'paused':
    case 'restarting':
      return 'running';
    case 'exited':
    case 'dead':
    case 'removing':
      return 'exited';
    default:
      return 'unknown';
  }
}

/** Docker reports unset times as the zero time "0001-01-01T00:00:00Z". */
export function dockerTime(t: string | undefined): string | undefined {
  if (!t || t.startsWith('0001-')) return undefined;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function firstIp(ns: DockerNetworks | null | undefined): string | undefined {
  if (!ns) return undefined;
  for (const n of Object.values(ns.Networks ?? {})) if (n?.IPAddress) return n.IPAddress;
  return ns.IPAddress || undefined;
}

/** From a list entry alone (enough for created containers; running/exited need inspect for times). */
export function fromListEntry(e: DockerListEntry): RuntimeContainer | undefined {
  const identity = identityFromLabels(e.Labels);
  if (!identity) return undefined;
  return {
    ...identity,
    id: e.Id,
    image: e.Image,
    imageId: e.ImageID,
    state: mapState(e.State),
    createdAt: new Date(e.Created * 1000).toISOString(),
    ip: identity.kind === 'sandbox' ? firstIp(e.NetworkSettings) : undefined,
  };
}

export function fromInspect(d: DockerInspect): RuntimeContainer | undefined {
  const identity = identityFromLabels(d.Config.Labels);
  if (!identity) return undefined;
  const state = mapState(d.State.Status);
  const c: RuntimeContainer = {
    ...identity,
    id: d.Id,
    image: d.Config.Image,
    imageId: d.Image,
    state,
    createdAt: dockerTime(d.Created) ?? new Date(0).toISOString(),
    startedAt: dockerTime(d.State.StartedAt),
    ip: identity.kind === 'sandbox' && state === 'running' ? firstIp(d.NetworkSettings) : undefined,
  };
  if (state === 'exited') {
    c.exitCode = d.State.ExitCode ?? 0;
    c.oomKilled = d.State.OOMKilled ?? false;
    c.finishedAt = dockerTime(d.State.FinishedAt);
  }
  if (d.State.Error) c.error = d.State.Error;
  return c;
}

/** Whether a list entry needs an inspect to be complete (times, exit code); created ones do not. */
export function needsInspect(e: DockerListEntry): boolean {
  return mapState(e.State) !== 'created';
}

function newestFirst(a: RuntimeContainer, b: RuntimeContainer): number {
  return b.createdAt.localeCompare(a.createdAt) || b.restartCount - a.restartCount;
}

/** Group containers by pod uid; sandboxes and containers newest first. */
export function groupPods(containers: RuntimeContainer[]): RuntimePod[] {
  const pods = new Map<string, RuntimePod>();
  for (const c of containers) {
    let p = pods.get(c.podUid);
    if (!p) {
      p = { uid: c.podUid, name: c.podName, namespace: c.podNamespace, sandboxes: [], containers: [] };
      pods.set(c.podUid, p);
    }
    (c.kind === 'sandbox' ? p.sandboxes : p.containers).push(c);
  }
  for (const p of pods.values()) {
    p.sandboxes.sort(newestFirst);
    p.containers.sort(newestFirst);
  }
  return [...pods.values()];
}
