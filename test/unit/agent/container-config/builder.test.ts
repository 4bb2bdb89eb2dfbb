import { describe, expect, it } from 'vitest';
import { DefaultContainerConfigBuilder, sandboxHash } from '../../../../agent/container-config/builder.js';
import { EnvError } from '../../../../agent/container-config/errors.js';
import type { PreparedVolumes } from '../../../../agent/podworker/deps.js';
import { cm, makeLookup, NODE, pod } from './fixtures.js';

const noVolumes: PreparedVolumes = { mounts: {}, tmpfs: {} };

function build(p: ReturnType<typeof pod>, c: Record<string, unknown>, builder = new DefaultContainerConfigBuilder(), lookup = makeLookup()) {
  return builder.container(p, { name: 'app', image: 'reg/app:1', ...c }, 'app', 3, 'sandbox-id', '10.244.1.7', noVolumes, lookup, NODE);
}

describe('container()', () => {
  it('fills identity, image, expanded command/args, env and mounts', () => {
    const vols: PreparedVolumes = { mounts: { app: [{ hostPath: '/h', containerPath: '/c', readOnly: true }] }, tmpfs: { app: { '/run': 'size=1m' } } };
    const b = new DefaultContainerConfigBuilder();
    const c = { name: 'app', image: 'reg/app:1', command: ['sh', '-c'], args: ['echo $(GREETING)'], workingDir: '/w', env: [{ name: 'GREETING', value: 'hi' }], tty: true };
    const cfg = b.container(pod({}), c, 'init', 3, 'sb', '10.244.1.7', vols, makeLookup(), NODE);
    expect(cfg.identity).toEqual({ podUid: 'uid-1', podName: 'web', podNamespace: 'ns1', containerName: 'app', kind: 'init', specHash: b.specHash(c), restartCount: 3 });
    expect(cfg).toMatchObject({ image: 'reg/app:1', command: ['sh', '-c'], args: ['echo hi'], workingDir: '/w', sandboxId: 'sb', tty: true, tmpfs: { '/run': 'size=1m' } });
    expect(cfg.env).toEqual(['GREETING=hi']);
    expect(cfg.mounts).toEqual([{ hostPath: '/h', containerPath: '/c', readOnly: true }]);
  });

  it('passes env failures through as EnvError and warnings to onWarning', () => {
    const warnings: string[] = [];
    const b = new DefaultContainerConfigBuilder({ onWarning: (_p, reason, msg) => warnings.push(`${reason}: ${msg}`) });
    expect(() => build(pod({}), { envFrom: [{ configMapRef: { name: 'nope' } }] }, b)).toThrow(EnvError);
    build(pod({}), { envFrom: [{ configMapRef: { name: 'cfg' } }] }, b, makeLookup({ configMaps: [cm('cfg', { 'a b': '1' })] }));
    expect(warnings[0]).toMatch(/^InvalidEnvironmentVariableNames: Keys \[a b\]/);
  });
});

describe('securityContext', () => {
  it('merges pod and container levels (container wins)', () => {
    const p = pod({ securityContext: { runAsUser: 1000, runAsGroup: 2000, supplementalGroups: [5, 6], fsGroup: 7 } });
    expect(build(p, {}).user).toBe('1000:2000');
    expect(build(p, { securityContext: { runAsUser: 33 } }).user).toBe('33:2000');
    expect(build(p, {}).groupAdd).toEqual(['5', '6', '7']);
    expect(build(pod({}), {}).user).toBeUndefined();
  });

  it('maps privileged, readOnlyRootFilesystem, capabilities and allowPrivilegeEscalation', () => {
    const cfg = build(pod({}), {
      securityContext: { privileged: true, readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN', 'CAP_SYS_TIME'], drop: ['ALL'] }, allowPrivilegeEscalation: false },
    });
    expect(cfg).toMatchObject({ privileged: true, readOnlyRootfs: true, capAdd: ['NET_ADMIN', 'SYS_TIME'], capDrop: ['ALL'], noNewPrivileges: true });
    const plain = build(pod({}), { securityContext: { allowPrivilegeEscalation: true } });
    expect(plain.noNewPrivileges).toBeUndefined();
    expect(plain.privileged).toBeUndefined();
  });

  it('verifies runAsNonRoot like the kubelet', () => {
    const nonRoot = pod({ securityContext: { runAsNonRoot: true } });
    expect(() => build(nonRoot, {})).toThrow('container has runAsNonRoot and image will run as root');
    expect(() => build(nonRoot, { securityContext: { runAsUser: 0 } })).toThrow("container's runAsUser breaks non-root policy");
    expect(build(nonRoot, { securityContext: { runAsUser: 1000 } }).user).toBe('1000');
    const withImageUser = (user: string) => new DefaultContainerConfigBuilder({ imageUser: () => user });
    expect(() => build(nonRoot, {}, withImageUser('1000:1000'))).not.toThrow();
    expect(() => build(nonRoot, {}, withImageUser('0'))).toThrow(/image will run as root/);
    expect(() => build(nonRoot, {}, withImageUser('nobody'))).toThrow(/non-numeric user \(nobody\)/);
    expect(() => build(pod({ securityContext: { runAsNonRoot: true } }), { securityContext: { runAsNonRoot: false } })).not.toThrow();
  });
});

describe('resources', () => {
  it('maps limits and requests to Docker cgroup settings', () => {
    const cfg = build(pod({}), { resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } } });
    expect(cfg).toMatchObject({ memoryBytes: 128 * 2 ** 20, cpuQuota: 50_000, cpuPeriod: 100_000, cpuShares: 256 });
  });
  it('uses the limit for shares when there is no request, 2 when nothing is set, minimum quota 1000', () => {
    expect(build(pod({}), { resources: { limits: { cpu: '2' } } })).toMatchObject({ cpuShares: 2048, cpuQuota: 200_000 });
    const none = build(pod({}), {});
    expect(none.cpuShares).toBe(2);
    expect(none.cpuQuota).toBeUndefined();
    expect(none.memoryBytes).toBeUndefined();
    expect(build(pod({}), { resources: { limits: { cpu: '1m' } } }).cpuQuota).toBe(1000);
  });
  it('applies the node pids limit', () => {
    expect(build(pod({}), {}, new DefaultContainerConfigBuilder({ pidsLimit: 4096 })).pidsLimit).toBe(4096);
  });
});

describe('sandbox()', () => {
  const b = new DefaultContainerConfigBuilder();

  it('sets hostname, domain, network, aliases and host ports', () => {
    const p = pod({
      hostname: 'h1',
      subdomain: 'sub',
      hostAliases: [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }],
      containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, hostPort: 5353, protocol: 'UDP', hostIP: '127.0.0.1' }, { containerPort: 9 }] }],
    });
    const s = b.sandbox(p, NODE);
    expect(s).toMatchObject({ hostname: 'h1', domainname: 'sub.ns1.svc.cluster.local', network: 'kinglet-pods', extraHosts: ['1.2.3.4 a b'] });
    expect(s.identity).toMatchObject({ containerName: 'POD', kind: 'sandbox', podUid: 'uid-1' });
    expect(s.portMappings).toEqual([
      { hostPort: 8080, containerPort: 80, protocol: 'TCP' },
      { hostPort: 5353, containerPort: 53, protocol: 'UDP', hostIP: '127.0.0.1' },
    ]);
  });

  it('truncates long hostnames to 63 characters without trailing - or .', () => {
    const name = 'a'.repeat(62) + '-bbb';
    expect(b.sandbox(pod({}, { name }), NODE).hostname).toBe('a'.repeat(62));
  });

  it('uses the host network without hostname or ports', () => {
    const s = b.sandbox(pod({ hostNetwork: true, containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 80 }] }] }), NODE);
    expect(s).toMatchObject({ hostNetwork: true, hostname: '' });
    expect(s.network).toBeUndefined();
    expect(s.portMappings).toBeUndefined();
    // ClusterFirst on the host network keeps the node's resolver (here: the node has none)
    expect(s.dns).toEqual({ servers: [], searches: [], options: [] });
  });

  it('DNS: ClusterFirst with cluster DNS, merged dnsConfig', () => {
    expect(b.sandbox(pod({}), NODE).dns).toEqual({ servers: ['10.96.0.10'], searches: ['ns1.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] });
    const merged = b.sandbox(pod({ dnsConfig: { nameservers: ['1.1.1.1'], searches: ['corp'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }), NODE).dns;
    expect(merged).toEqual({ servers: ['10.96.0.10', '1.1.1.1'], searches: ['ns1.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp'], options: ['ndots:2', 'edns0'] });
  });

  it('DNS: Default uses the node, None uses dnsConfig only, ClusterFirst without cluster DNS falls back with a warning', () => {
    const hostDns = { servers: ['10.1.0.2'], searches: ['corp.example'], options: ['rotate'] };
    const node = { ...NODE, hostDns };
    expect(b.sandbox(pod({ dnsPolicy: 'Default' }), node).dns).toEqual(hostDns);
    expect(b.sandbox(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['9.9.9.9'] } }), node).dns).toEqual({ servers: ['9.9.9.9'], searches: [], options: [] });
    const warnings: string[] = [];
    const wb = new DefaultContainerConfigBuilder({ onWarning: (_p, reason) => warnings.push(reason) });
    expect(wb.sandbox(pod({}), { ...node, clusterDns: undefined }).dns).toEqual(hostDns);
    expect(warnings).toEqual(['MissingClusterDNS']);
    const hostNet = b.sandbox(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), node);
    expect(hostNet.dns?.servers).toEqual(['10.96.0.10']);
    expect(hostNet.resolvConf).toBe('search ns1.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('sandbox hash changes with pod network settings only', () => {
    const base = pod({ containers: [{ name: 'c', image: 'a' }] });
    expect(sandboxHash(base)).toBe(sandboxHash(pod({ containers: [{ name: 'c', image: 'b' }] })));
    expect(sandboxHash(base)).not.toBe(sandboxHash(pod({ hostname: 'x', containers: [{ name: 'c', image: 'a' }] })));
  });
});
