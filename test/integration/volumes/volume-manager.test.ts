// The volume manager on the real filesystem, as root: tmpfs mounts, AtomicWriter layout, teardown.
import { lstat, mkdtemp, readFile, readlink, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/types.js';
import { VolumeError, type ObjectLookup } from '../../../agent/podworker/deps.js';
import { listMounts, mountedFsType } from '../../../agent/volumes/mount.js';
import { HostVolumeManager } from '../../../agent/volumes/volume-manager.js';
import { logger } from '../../../lib/logger.js';

const isRoot = process.getuid?.() === 0;
let root: string;
let manager: HostVolumeManager;
const configMaps = new Map<string, KubeObject>();
const secrets = new Map<string, KubeObject>();
const lookup: ObjectLookup = {
  configMap: (ns, name) => configMaps.get(`${ns}/${name}`),
  secret: (ns, name) => secrets.get(`${ns}/${name}`),
  services: () => [],
};
let seq = 0;

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

function pod(volumes: KubeObject[], volumeMounts: KubeObject[] = [], extra: KubeObject = {}): KubeObject {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: `uid-${++seq}`, labels: { app: 'x', tier: 'web' } },
    spec: { volumes, containers: [{ name: 'c', image: 'busybox', volumeMounts, resources: { limits: { memory: '64Mi' } } }], ...extra },
  };
}

const mode = async (p: string) => (await stat(p)).mode & 0o7777;

describe.skipIf(!isRoot)('HostVolumeManager on the host filesystem', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kinglet-vol-'));
    manager = new HostVolumeManager({ rootDir: root, log: logger('test-volumes') });
  });
  afterAll(async () => {
    for (const m of (await listMounts()).filter((x) => x.mountPoint.startsWith(root)).reverse()) {
      await import('../../../agent/volumes/mount.js').then((mod) => mod.unmount(m.mountPoint));
    }
    await rm(root, { recursive: true, force: true });
  });

  it('writes configMap items with modes through ..data symlinks', async () => {
    configMaps.set('ns/cfg', { metadata: { name: 'cfg', namespace: 'ns' }, data: { 'app.conf': 'port=80', other: 'x' }, binaryData: { bin: b64('\x00\x01') } });
    const p = pod(
      [
        { name: 'all', configMap: { name: 'cfg', defaultMode: 0o400 } },
        { name: 'some', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o600 }, { key: 'other', path: 'o' }] } },
      ],
      [{ name: 'all', mountPath: '/etc/all' }, { name: 'some', mountPath: '/etc/some' }],
    );
    const prepared = await manager.setup(p, lookup);
    const [all, some] = prepared.mounts.c;
    expect(all).toMatchObject({ containerPath: '/etc/all', readOnly: true });
    expect(all.hostPath).toBe(join(root, p.metadata.uid!, 'volumes', 'kubernetes.io~configmap', 'all'));
    expect((await readdir(all.hostPath)).filter((n) => !n.startsWith('..')).sort()).toEqual(['app.conf', 'bin', 'other']);
    expect(await readlink(join(all.hostPath, 'app.conf'))).toBe('..data/app.conf');
    expect(await readlink(join(all.hostPath, '..data'))).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./);
    expect(await readFile(join(all.hostPath, 'bin'))).toEqual(Buffer.from([0, 1]));
    expect(await mode(join(all.hostPath, 'app.conf'))).toBe(0o400);
    expect(await readFile(join(some.hostPath, 'conf/app.conf'), 'utf8')).toBe('port=80');
    expect(await mode(join(some.hostPath, 'conf/app.conf'))).toBe(0o600);
    expect(await mode(join(some.hostPath, 'o'))).toBe(0o644);
    expect(await readlink(join(some.hostPath, 'conf'))).toBe('..data/conf');
    // the termination log is a host file bound at the default path
    const term = prepared.mounts.c.at(-1)!;
    expect(term).toEqual({ hostPath: join(root, p.metadata.uid!, 'containers', 'c', 'termination-log'), containerPath: '/dev/termination-log' });
    expect(await mode(term.hostPath)).toBe(0o666);
    expect(prepared.terminationLogs.c).toBe(term.hostPath);
  });

  it('updates files atomically through the ..data swap, and only when content changed', async () => {
    configMaps.set('ns/live', { metadata: { name: 'live', namespace: 'ns' }, data: { a: '1', gone: 'soon' } });
    const p = pod([{ name: 'v', configMap: { name: 'live' } }], [{ name: 'v', mountPath: '/v' }, { name: 'v', mountPath: '/sub', subPath: 'a' }]);
    const first = await manager.setup(p, lookup);
    const dir = first.mounts.c[0].hostPath;
    const before = await readlink(join(dir, '..data'));
    const subPathBefore = first.mounts.c[1].hostPath;
    expect(subPathBefore).toBe(join(dir, before, 'a'));

    await manager.setup(p, lookup);
    expect(await readlink(join(dir, '..data'))).toBe(before);

    configMaps.set('ns/live', { metadata: { name: 'live', namespace: 'ns' }, data: { a: '2', added: 'new' } });
    const second = await manager.setup(p, lookup);
    const after = await readlink(join(dir, '..data'));
    expect(after).not.toBe(before);
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('2');
    expect(await readFile(join(dir, 'added'), 'utf8')).toBe('new');
    await expect(lstat(join(dir, 'gone'))).rejects.toThrow();
    await expect(lstat(join(dir, before))).rejects.toThrow();
    expect((await readdir(dir)).filter((n) => n.startsWith('..')).sort()).toEqual(['..data', after].sort());
    // a subPath is resolved to the real file at setup time
    expect(second.mounts.c[1].hostPath).toBe(join(dir, after, 'a'));
  });

  it('fails a missing non-optional configMap or secret and tolerates optional ones', async () => {
    await expect(manager.setup(pod([{ name: 'v', configMap: { name: 'nope' } }]), lookup)).rejects.toThrow(
      new VolumeError('MountVolume.SetUp failed for volume "v" : configmap "nope" not found'),
    );
    await expect(manager.setup(pod([{ name: 'v', secret: { secretName: 'nope' } }]), lookup)).rejects.toThrow('secret "nope" not found');
    configMaps.set('ns/k', { metadata: { name: 'k', namespace: 'ns' }, data: { a: '1' } });
    await expect(manager.setup(pod([{ name: 'v', configMap: { name: 'k', items: [{ key: 'zz', path: 'z' }] } }]), lookup)).rejects.toThrow(
      'configmap references non-existent config key: zz',
    );
    const ok = await manager.setup(pod([{ name: 'v', configMap: { name: 'nope', optional: true } }], [{ name: 'v', mountPath: '/v' }]), lookup);
    expect((await readdir(ok.mounts.c[0].hostPath)).filter((n) => !n.startsWith('..'))).toEqual([]);
  });

  it('checks hostPath types', async () => {
    const base = await mkdtemp(join(root, 'host-'));
    const file = join(base, 'file');
    await writeFile(file, 'x');
    const check = (path: string, type: string) => manager.setup(pod([{ name: 'h', hostPath: { path, type } }], [{ name: 'h', mountPath: '/h' }]), lookup);
    await expect(check(file, 'Directory')).rejects.toThrow(`hostPath type check failed: ${file} is not a directory`);
    await expect(check(base, 'File')).rejects.toThrow(`hostPath type check failed: ${base} is not a file`);
    await expect(check(file, 'Socket')).rejects.toThrow('is not a socket file');
    await expect(check(file, 'CharDevice')).rejects.toThrow('is not a character device');
    await expect(check('/dev/null', 'BlockDevice')).rejects.toThrow('is not a block device');
    await expect(check(join(base, 'missing'), 'Directory')).rejects.toThrow(VolumeError);
    expect((await check('/dev/null', 'CharDevice')).mounts.c[0]).toEqual({ hostPath: '/dev/null', containerPath: '/h' });
    await check(file, 'File');
    await check(join(base, 'made'), 'DirectoryOrCreate');
    expect((await stat(join(base, 'made'))).isDirectory()).toBe(true);
    await check(join(base, 'deep/f'), 'FileOrCreate');
    expect((await stat(join(base, 'deep/f'))).isFile()).toBe(true);
    const sock = join(base, 'sock');
    const srv = createServer().listen(sock);
    await new Promise((r) => srv.once('listening', r));
    await check(sock, 'Socket');
    srv.close();
    await check(join(base, 'anything'), '');
  });

  it('mounts emptyDir medium Memory and secrets on tmpfs, and teardown unmounts and removes', async () => {
    secrets.set('ns/s', { metadata: { name: 's', namespace: 'ns' }, type: 'Opaque', data: { password: b64('hunter2') } });
    configMaps.set('ns/pc', { metadata: { name: 'pc', namespace: 'ns' }, data: { k: 'v' } });
    const p = pod(
      [
        { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
        { name: 'disk', emptyDir: {} },
        { name: 'sec', secret: { secretName: 's', defaultMode: 0o440 } },
        { name: 'proj', projected: { sources: [{ secret: { name: 's', items: [{ key: 'password', path: 'pw' }] } }, { configMap: { name: 'pc' } }, { serviceAccountToken: { path: 'token' } }] } },
      ],
      [{ name: 'mem', mountPath: '/mem' }, { name: 'disk', mountPath: '/disk', readOnly: true }, { name: 'sec', mountPath: '/sec' }, { name: 'proj', mountPath: '/proj' }, { name: 'disk', mountPath: '/sp', subPath: 'a/b' }],
    );
    const prepared = await manager.setup(p, lookup);
    const [mem, disk, sec, proj, sp] = prepared.mounts.c;
    const mounts = await listMounts();
    const memMount = mounts.find((m) => m.mountPoint === mem.hostPath);
    expect(memMount?.fsType).toBe('tmpfs');
    expect(await readFile('/proc/self/mountinfo', 'utf8')).toMatch(new RegExp(`${mem.hostPath} .*tmpfs .*size=16384k`));
    expect(await mode(mem.hostPath)).toBe(0o777);
    expect(await mountedFsType(disk.hostPath)).toBeUndefined();
    expect(disk.readOnly).toBe(true);
    expect(mem.readOnly).toBeUndefined();
    expect(await mountedFsType(sec.hostPath)).toBe('tmpfs');
    expect(sec.readOnly).toBe(true);
    expect(await readFile(join(sec.hostPath, 'password'), 'utf8')).toBe('hunter2');
    expect(await mode(join(sec.hostPath, 'password'))).toBe(0o440);
    expect(await mountedFsType(proj.hostPath)).toBe('tmpfs');
    expect((await readdir(proj.hostPath)).filter((n) => !n.startsWith('..')).sort()).toEqual(['k', 'pw']);
    expect(sp.hostPath).toBe(join(disk.hostPath, 'a/b'));
    expect((await stat(sp.hostPath)).isDirectory()).toBe(true);

    // a second setup neither stacks mounts nor fails
    await manager.setup(p, lookup);
    expect((await listMounts()).filter((m) => m.mountPoint === sec.hostPath)).toHaveLength(1);

    await manager.teardown(p.metadata.uid!);
    const left = (await listMounts()).filter((m) => m.mountPoint.startsWith(join(root, p.metadata.uid!)));
    expect(left).toEqual([]);
    await expect(stat(join(root, p.metadata.uid!))).rejects.toThrow();
    // teardown of an unknown pod is a no-op
    await manager.teardown('never-existed');
  });

  it('writes downwardAPI files that follow label changes', async () => {
    const p = pod(
      [{ name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }, { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } }] } }],
      [{ name: 'info', mountPath: '/info' }],
    );
    const dir = (await manager.setup(p, lookup)).mounts.c[0].hostPath;
    expect(await readFile(join(dir, 'labels'), 'utf8')).toBe('app="x"\ntier="web"');
    expect(await readFile(join(dir, 'name'), 'utf8')).toBe('p');
    expect(await readFile(join(dir, 'mem'), 'utf8')).toBe('64');
    p.metadata.labels = { app: 'y' };
    await manager.setup(p, lookup);
    expect(await readFile(join(dir, 'labels'), 'utf8')).toBe('app="y"');
  });

  it('rejects subPaths escaping the volume and unknown volume types', async () => {
    await expect(manager.setup(pod([{ name: 'd', emptyDir: {} }], [{ name: 'd', mountPath: '/x', subPath: '../../etc' }]), lookup)).rejects.toThrow(VolumeError);
    await expect(manager.setup(pod([{ name: 'n', nfs: { server: 'x', path: '/' } }]), lookup)).rejects.toThrow('unsupported volume type');
    await expect(manager.setup(pod([], [{ name: 'missing', mountPath: '/m' }]), lookup)).rejects.toThrow('unable to find volume "missing"');
  });
});
