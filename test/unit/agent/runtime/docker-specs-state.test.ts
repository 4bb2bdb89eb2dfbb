import { describe, expect, it } from 'vitest';
import { containerBody, entrypointAndCmd, sandboxBody, toExtraHosts } from '../../../../agent/runtime/docker-specs.js';
import { fromInspect, fromListEntry, groupPods, mapState, needsInspect, type DockerInspect } from '../../../../agent/runtime/docker-state.js';
import { identityLabels } from '../../../../agent/runtime/labels.js';
import type { ContainerConfig, ContainerIdentity, SandboxConfig } from '../../../../agent/runtime/runtime.js';

const sbId: ContainerIdentity = { podUid: 'u1', podName: 'p', podNamespace: 'ns', containerName: 'POD', kind: 'sandbox', specHash: 's', restartCount: 0 };
const appId: ContainerIdentity = { ...sbId, containerName: 'c', kind: 'app', specHash: 'h', restartCount: 2 };

describe('sandbox body', () => {
  const cfg: SandboxConfig = {
    identity: sbId,
    hostname: 'p',
    network: 'kinglet-pods',
    dns: { servers: ['10.0.0.10'], searches: ['ns.svc.cluster.local'], options: ['ndots:5'] },
    extraHosts: ['10.1.1.1 a b'],
    portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'TCP' }, { hostPort: 0, containerPort: 81, protocol: 'TCP' }, { hostPort: 53, containerPort: 53, protocol: 'UDP', hostIP: '127.0.0.1' }],
  };
  it('maps network, DNS, hosts, ports, labels and the fixed policies', () => {
    const b = sandboxBody(cfg, 'k8s_POD_p_ns_u1_0', 'kinglet/pause:1');
    expect(b).toMatchObject({ name: 'k8s_POD_p_ns_u1_0', Image: 'kinglet/pause:1', Hostname: 'p', ExposedPorts: { '80/tcp': {}, '53/udp': {} } });
    expect(b.Labels['io.kinglet.container.kind']).toBe('sandbox');
    expect(b.HostConfig).toMatchObject({
      NetworkMode: 'kinglet-pods',
      Dns: ['10.0.0.10'],
      DnsSearch: ['ns.svc.cluster.local'],
      DnsOptions: ['ndots:5'],
      ExtraHosts: ['a:10.1.1.1', 'b:10.1.1.1'],
      PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '53' }] },
      RestartPolicy: { Name: 'no' },
      IpcMode: 'shareable',
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
    });
  });
  it('defaults to the bridge; host network drops hostname, DNS and ports', () => {
    expect(sandboxBody({ identity: sbId, hostname: 'p' }, 'n', 'i').HostConfig.NetworkMode).toBe('bridge');
    const h = sandboxBody({ ...cfg, hostNetwork: true }, 'n', 'i');
    expect(h.Hostname).toBeUndefined();
    expect(h.HostConfig).toMatchObject({ NetworkMode: 'host', Dns: undefined, PortBindings: undefined });
  });
  it('ignores empty extra hosts', () => {
    expect(toExtraHosts(['  '])).toBeUndefined();
  });
});

describe('container body', () => {
  const cfg: ContainerConfig = {
    identity: appId,
    image: 'img:1',
    env: ['A=1'],
    mounts: [{ hostPath: '/h/a', containerPath: '/a' }, { hostPath: '/h/b', containerPath: '/b', readOnly: true }],
    tmpfs: { '/cache': 'size=1m' },
    sandboxId: 'sb123',
    user: '1000:1000',
    groupAdd: ['2000'],
    readOnlyRootfs: true,
    capAdd: ['NET_ADMIN'],
    capDrop: ['ALL'],
    noNewPrivileges: true,
    memoryBytes: 64 << 20,
    cpuQuota: 50000,
    cpuPeriod: 100000,
    cpuShares: 512,
    pidsLimit: 100,
  };
  it('joins the sandbox namespaces and maps security and resources', () => {
    const b = containerBody(cfg, 'k8s_c_p_ns_u1_2');
    expect(b).toMatchObject({ Image: 'img:1', Env: ['A=1'], User: '1000:1000', Tty: false });
    expect(b.Hostname).toBeUndefined();
    expect(b.Labels['io.kinglet.container.restart-count']).toBe('2');
    expect(b.HostConfig).toMatchObject({
      NetworkMode: 'container:sb123',
      IpcMode: 'container:sb123',
      Binds: ['/h/a:/a', '/h/b:/b:ro'],
      Tmpfs: { '/cache': 'size=1m' },
      GroupAdd: ['2000'],
      ReadonlyRootfs: true,
      Privileged: false,
      CapAdd: ['NET_ADMIN'],
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Memory: 64 << 20,
      MemorySwap: 64 << 20,
      CpuQuota: 50000,
      CpuPeriod: 100000,
      CpuShares: 512,
      PidsLimit: 100,
      RestartPolicy: { Name: 'no' },
    });
  });
  it('command → Entrypoint, args → Cmd (Kubernetes semantics)', () => {
    expect(entrypointAndCmd(['sh', '-c'], ['echo hi'])).toEqual({ Entrypoint: ['sh', '-c'], Cmd: ['echo hi'] });
    expect(entrypointAndCmd(['sleep', '1'], undefined)).toEqual({ Entrypoint: ['sleep', '1'], Cmd: undefined });
    expect(entrypointAndCmd(undefined, ['x'])).toEqual({ Entrypoint: undefined, Cmd: ['x'] });
    expect(entrypointAndCmd([], [])).toEqual({ Entrypoint: undefined, Cmd: undefined });
  });
});

describe('docker state', () => {
  const inspect = (over: Partial<DockerInspect['State']>, id: ContainerIdentity = appId): DockerInspect => ({
    Id: 'c1',
    Created: '2024-01-01T00:00:00.123456789Z',
    Image: 'sha256:img',
    Config: { Image: 'img:1', Labels: identityLabels(id) },
    State: { Status: 'exited', ExitCode: 137, OOMKilled: true, StartedAt: '2024-01-01T00:00:01Z', FinishedAt: '2024-01-01T00:00:05Z', ...over },
    NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.5' } } },
  });
  it('maps docker states', () => {
    expect(['created', 'running', 'paused', 'exited', 'dead', 'x'].map(mapState)).toEqual(['created', 'running', 'running', 'exited', 'exited', 'unknown']);
  });
  it('reads exit details of exited containers', () => {
    expect(fromInspect(inspect({}))).toMatchObject({
      id: 'c1', podUid: 'u1', containerName: 'c', restartCount: 2, image: 'img:1', imageId: 'sha256:img', state: 'exited',
      exitCode: 137, oomKilled: true, createdAt: '2024-01-01T00:00:00.123Z', finishedAt: '2024-01-01T00:00:05.000Z',
    });
    const running = fromInspect(inspect({ Status: 'running', FinishedAt: '0001-01-01T00:00:00Z' }));
    expect(running).toMatchObject({ state: 'running', startedAt: '2024-01-01T00:00:01.000Z' });
    expect(running?.exitCode).toBeUndefined();
    expect(running?.ip).toBeUndefined(); // only sandboxes carry the pod IP
    expect(fromInspect(inspect({ Status: 'running' }, sbId))?.ip).toBe('172.17.0.5');
    expect(fromInspect({ ...inspect({}), Config: { Image: 'x', Labels: {} } })).toBeUndefined();
  });
  it('list entries: created needs no inspect; grouping orders newest first', () => {
    const e = { Id: 'a', Image: 'img:1', ImageID: 'sha256:i', Labels: identityLabels(appId), State: 'created', Created: 1700000000 };
    expect(needsInspect(e)).toBe(false);
    expect(needsInspect({ ...e, State: 'running' })).toBe(true);
    const c = fromListEntry(e)!;
    expect(c).toMatchObject({ id: 'a', state: 'created', createdAt: '2023-11-14T22:13:20.000Z' });
    const older = { ...c, id: 'old', kind: 'sandbox' as const, createdAt: '2023-01-01T00:00:00.000Z' };
    const newer = { ...c, id: 'new', kind: 'sandbox' as const, restartCount: 1, createdAt: '2023-06-01T00:00:00.000Z' };
    const other = { ...c, id: 'o', podUid: 'u2', podName: 'q' };
    const pods = groupPods([older, c, newer, other]);
    expect(pods).toHaveLength(2);
    expect(pods[0]).toMatchObject({ uid: 'u1', name: 'p', namespace: 'ns' });
    expect(pods[0]!.sandboxes.map((s) => s.id)).toEqual(['new', 'old']);
    expect(pods[0]!.containers.map((s) => s.id)).toEqual(['a']);
  });
});
