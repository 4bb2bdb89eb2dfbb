// The Node object as this agent reports it, computed from plain readings so every rule is testable:
// capacity, nodeInfo, addresses, standard labels and the four kubelet conditions with Kubernetes'
// time semantics (lastTransitionTime moves only when the status flips, lastHeartbeatTime only
// when the condition is posted).
import type { KubeObject } from '../../api/types.js';

export const KINGLET_VERSION = 'v1.32.0-kinglet';
export const DEFAULT_MAX_PODS = 110;
const MEMORY_PRESSURE_BYTES = 100 * 1024 * 1024;
const DISK_PRESSURE_FRACTION = 0.1;
const PID_PRESSURE_FRACTION = 0.9;

/** Facts that do not change while the agent runs. */
export interface NodeFacts {
  nodeName: string;
  hostname: string;
  nodeIp: string;
  cpuCores: number;
  memoryTotalBytes: number;
  kernelVersion: string;
  osImage: string;
  /** Go naming: amd64, arm64, ... */
  architecture: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
  maxPods?: number;
}

/** Readings taken at each status round; undefined = could not be read (no pressure assumed). */
export interface NodeReadings {
  memoryAvailableBytes?: number;
  fsTotalBytes?: number;
  fsAvailableBytes?: number;
  pidsInUse?: number;
  pidMax?: number;
  /** `docker://27.5.1` when the runtime answered this round, undefined when it did not */
  runtimeVersion?: string;
}

export interface NodeCondition {
  type: 'MemoryPressure' | 'DiskPressure' | 'PIDPressure' | 'Ready';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastHeartbeatTime: string;
  lastTransitionTime: string;
}

type Verdict = Pick<NodeCondition, 'type' | 'status' | 'reason' | 'message'>;

function pressure(type: NodeCondition['type'], on: boolean, yes: [string, string], no: [string, string]): Verdict {
  const [reason, message] = on ? yes : no;
  return { type, status: on ? 'True' : 'False', reason, message };
}

/** What each condition says now, without times. */
export function evaluateConditions(r: NodeReadings): Verdict[] {
  const memLow = r.memoryAvailableBytes !== undefined && r.memoryAvailableBytes < MEMORY_PRESSURE_BYTES;
  const diskLow = r.fsTotalBytes !== undefined && r.fsAvailableBytes !== undefined && r.fsTotalBytes > 0 && r.fsAvailableBytes / r.fsTotalBytes < DISK_PRESSURE_FRACTION;
  const pidsHigh = r.pidsInUse !== undefined && r.pidMax !== undefined && r.pidMax > 0 && r.pidsInUse > PID_PRESSURE_FRACTION * r.pidMax;
  return [
    pressure('MemoryPressure', memLow, ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'], ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available']),
    pressure('DiskPressure', diskLow, ['KubeletHasDiskPressure', 'kubelet has disk pressure'], ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure']),
    pressure('PIDPressure', pidsHigh, ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available'], ['KubeletHasSufficientPID', 'kubelet has sufficient PID available']),
    r.runtimeVersion !== undefined
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' },
  ];
}

/**
 * Conditions for this round. Unchanged conditions keep both times; a changed reason/message gets a
 * new heartbeat; a changed status also gets a new transition time.
 */
export function computeConditions(r: NodeReadings, previous: NodeCondition[] | undefined, now: string): NodeCondition[] {
  return evaluateConditions(r).map((v) => {
    const prev = previous?.find((p) => p.type === v.type);
    if (!prev) return { ...v, lastHeartbeatTime: now, lastTransitionTime: now };
    const transition = prev.status !== v.status ? now : prev.lastTransitionTime;
    const same = prev.status === v.status && prev.reason === v.reason && prev.message === v.message;
    return { ...v, lastHeartbeatTime: same ? prev.lastHeartbeatTime : now, lastTransitionTime: transition };
  });
}

/** True when a condition says something different (times ignored). */
export function conditionsChanged(a: NodeCondition[] | undefined, b: NodeCondition[]): boolean {
  if (!a || a.length !== b.length) return true;
  return b.some((c) => {
    const p = a.find((x) => x.type === c.type);
    return !p || p.status !== c.status || p.reason !== c.reason || p.message !== c.message;
  });
}

/** Posting the status is a heartbeat for every condition. */
export function stampHeartbeat(conditions: NodeCondition[], now: string): NodeCondition[] {
  return conditions.map((c) => ({ ...c, lastHeartbeatTime: now }));
}

const kib = (bytes: number): string => `${Math.floor(bytes / 1024)}Ki`;

export function buildNodeObject(f: NodeFacts, r: NodeReadings, conditions: NodeCondition[], runtimeVersion: string): KubeObject {
  const capacity: Record<string, string> = {
    cpu: String(f.cpuCores),
    memory: kib(f.memoryTotalBytes),
    pods: String(f.maxPods ?? DEFAULT_MAX_PODS),
  };
  if (r.fsTotalBytes !== undefined) capacity['ephemeral-storage'] = kib(r.fsTotalBytes);
  const addresses = [
    ...(f.nodeIp ? [{ type: 'InternalIP', address: f.nodeIp }] : []),
    { type: 'Hostname', address: f.hostname },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: f.nodeName,
      labels: {
        'kubernetes.io/hostname': f.nodeName,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': f.architecture,
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': f.architecture,
      },
    },
    status: {
      capacity,
      allocatable: { ...capacity },
      conditions,
      addresses,
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {
        machineID: f.machineID,
        systemUUID: f.systemUUID,
        bootID: f.bootID,
        kernelVersion: f.kernelVersion,
        osImage: f.osImage,
        containerRuntimeVersion: runtimeVersion,
        kubeletVersion: KINGLET_VERSION,
        kubeProxyVersion: KINGLET_VERSION,
        operatingSystem: 'linux',
        architecture: f.architecture,
      },
    },
  };
}

/** Node.js process.arch → the GOARCH names Kubernetes uses. */
export function goArch(nodeArch: string): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };
  return map[nodeArch] ?? nodeArch;
}

/** PRETTY_NAME from /etc/os-release text. */
export function parseOsRelease(text: string): string | undefined {
  const m = /^PRETTY_NAME=(.*)$/m.exec(text);
  if (!m) return undefined;
  return m[1]!.trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
}
