import { describe, expect, it } from 'vitest';
import {
  buildNodeObject,
  computeConditions,
  conditionsChanged,
  evaluateConditions,
  goArch,
  parseOsRelease,
  stampHeartbeat,
  type NodeFacts,
  type NodeReadings,
} from '../../../../agent/node/node-status.ts';

const Mi = 1024 * 1024;
const healthy: NodeReadings = {
  memoryAvailableBytes: 2000 * Mi,
  fsTotalBytes: 100 * 1024 * Mi,
  fsAvailableBytes: 50 * 1024 * Mi,
  pidsInUse: 500,
  pidMax: 4_194_304,
  runtimeVersion: 'docker://27.5.1',
};

const facts: NodeFacts = {
  nodeName: 'node-1',
  hostname: 'host-a',
  nodeIp: '10.0.0.5',
  cpuCores: 4,
  memoryTotalBytes: 8 * 1024 * Mi + 512,
  kernelVersion: '6.1.0-28-amd64',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  architecture: 'amd64',
  machineID: 'm1',
  systemUUID: 'u1',
  bootID: 'b1',
};

const byType = (cs: Array<{ type: string }>) => Object.fromEntries(cs.map((c) => [c.type, c]));

describe('evaluateConditions', () => {
  it('reports a healthy node as Ready with no pressure, in kubelet order', () => {
    const v = evaluateConditions(healthy);
    expect(v.map((c) => `${c.type}=${c.status}`)).toEqual(['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
    expect(byType(v).Ready).toEqual({ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    expect(byType(v).MemoryPressure!).toMatchObject({ reason: 'KubeletHasSufficientMemory' });
  });

  it('applies the thresholds: memory < 100Mi, disk < 10% free, pids > 90% of pid_max', () => {
    const v = byType(evaluateConditions({ ...healthy, memoryAvailableBytes: 99 * Mi, fsAvailableBytes: 9 * 1024 * Mi, pidsInUse: 901, pidMax: 1000 }));
    expect(v.MemoryPressure).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientMemory' });
    expect(v.DiskPressure).toMatchObject({ status: 'True', reason: 'KubeletHasDiskPressure' });
    expect(v.PIDPressure).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientPID' });
    const edge = byType(evaluateConditions({ ...healthy, memoryAvailableBytes: 100 * Mi, fsAvailableBytes: 10 * 1024 * Mi, pidsInUse: 900, pidMax: 1000 }));
    expect([edge.MemoryPressure, edge.DiskPressure, edge.PIDPressure].map((c) => (c as { status: string }).status)).toEqual(['False', 'False', 'False']);
  });

  it('is NotReady when the runtime does not answer, and assumes no pressure for missing readings', () => {
    const v = byType(evaluateConditions({}));
    expect(v.Ready).toEqual({ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' });
    expect(v.DiskPressure).toMatchObject({ status: 'False' });
  });
});

describe('computeConditions', () => {
  it('keeps times while nothing changes and moves the transition time only on a flip', () => {
    const c1 = computeConditions(healthy, undefined, 'T1');
    expect(c1.every((c) => c.lastHeartbeatTime === 'T1' && c.lastTransitionTime === 'T1')).toBe(true);
    const c2 = computeConditions(healthy, c1, 'T2');
    expect(c2).toEqual(c1);
    expect(conditionsChanged(c1, c2)).toBe(false);

    const c3 = computeConditions({ ...healthy, runtimeVersion: undefined }, c2, 'T3');
    expect(byType(c3).Ready).toMatchObject({ status: 'False', lastTransitionTime: 'T3', lastHeartbeatTime: 'T3' });
    expect(byType(c3).MemoryPressure).toMatchObject({ lastTransitionTime: 'T1', lastHeartbeatTime: 'T1' });
    expect(conditionsChanged(c2, c3)).toBe(true);

    const posted = stampHeartbeat(c3, 'T4');
    expect(posted.every((c) => c.lastHeartbeatTime === 'T4')).toBe(true);
    expect(byType(posted).MemoryPressure).toMatchObject({ lastTransitionTime: 'T1' });
  });
});

describe('buildNodeObject', () => {
  it('has the shape kubectl expects', () => {
    const conditions = computeConditions(healthy, undefined, '2024-01-01T00:00:00Z');
    const n = buildNodeObject(facts, healthy, conditions, 'docker://27.5.1');
    expect(n.metadata).toEqual({
      name: 'node-1',
      labels: {
        'kubernetes.io/hostname': 'node-1',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
      },
    });
    expect(n.status.capacity).toEqual({ cpu: '4', memory: '8388608Ki', pods: '110', 'ephemeral-storage': '104857600Ki' });
    expect(n.status.allocatable).toEqual(n.status.capacity);
    expect(n.status.addresses).toEqual([
      { type: 'InternalIP', address: '10.0.0.5' },
      { type: 'Hostname', address: 'host-a' },
    ]);
    expect(n.status.nodeInfo).toEqual({
      machineID: 'm1',
      systemUUID: 'u1',
      bootID: 'b1',
      kernelVersion: '6.1.0-28-amd64',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: 'docker://27.5.1',
      kubeletVersion: 'v1.32.0-kinglet',
      kubeProxyVersion: 'v1.32.0-kinglet',
      operatingSystem: 'linux',
      architecture: 'amd64',
    });
    expect(n.status.conditions).toBe(conditions);
  });
});

describe('helpers', () => {
  it('maps Node architectures to Go names', () => {
    expect(goArch('x64')).toBe('amd64');
    expect(goArch('arm64')).toBe('arm64');
    expect(goArch('ia32')).toBe('386');
  });

  it('reads PRETTY_NAME from os-release', () => {
    expect(parseOsRelease('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n')).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(parseOsRelease('ID=x\n')).toBeUndefined();
  });
});
