// prepareDataDir against a real temporary directory: files, modes, reuse, kubeconfig content.
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  parseListen,
  prepareDataDir,
  readAdminKubeconfig,
  writeAdminKubeconfig,
} from '../../../apiserver/config.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'kinglet-dd-'));
  dirs.push(d);
  return join(d, 'data'); // not yet existing: prepareDataDir creates it
}
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
const mode = (p: string) => statSync(p).mode & 0o777;

interface Kubeconfig {
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ name: string; user: { token: string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string; namespace: string } }>;
  'current-context': string;
}

describe('prepareDataDir', () => {
  it('first start creates the CA, serving cert, token and kubeconfig with private modes', async () => {
    const dir = tmp();
    const cfg = await prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 6443 });
    expect(mode(dir)).toBe(0o700);
    for (const f of ['ca.key', 'server.key', 'tokens.json', 'admin.kubeconfig']) expect(mode(join(dir, f)), f).toBe(0o600);
    expect(cfg).toMatchObject({
      dataDir: dir,
      listenHost: '127.0.0.1',
      listenPort: 6443,
      etcdEndpoints: [],
      serviceCidr: '10.96.0.0/16',
      clusterCidr: '10.244.0.0/16',
      nodeMonitorGracePeriodMs: 40_000,
    });
    const ca = new X509Certificate(readFileSync(join(dir, 'ca.crt')));
    const srv = new X509Certificate(cfg.tls.certPem);
    expect(cfg.tls.caCertPem).toBe(readFileSync(join(dir, 'ca.crt'), 'utf8'));
    expect(srv.checkIssued(ca)).toBe(true);
    expect(srv.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(srv.checkHost('localhost')).toBe('localhost');
    expect(srv.keyUsage).toContain('1.3.6.1.5.5.7.3.1');

    const tokens = JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')).tokens;
    expect(tokens).toHaveLength(1);
    expect(tokens[0].token).toMatch(/^[0-9a-f]{64}$/);
    const user = cfg.authenticator.authenticate({ headers: { authorization: `Bearer ${tokens[0].token}` } });
    expect(user).toEqual({ name: 'admin', groups: ['system:masters', 'system:authenticated'] });
    expect(cfg.authenticator.authenticate({ headers: { authorization: 'Bearer wrong' } })).toBeUndefined();

    const kc = parse(await readAdminKubeconfig(dir)) as Kubeconfig;
    expect(kc['current-context']).toBe('kinglet');
    expect(kc.contexts[0]).toEqual({ name: 'kinglet', context: { cluster: 'kinglet', user: 'admin', namespace: 'default' } });
    expect(kc.clusters[0]!.cluster.server).toBe('https://127.0.0.1:6443');
    expect(Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString()).toBe(cfg.tls.caCertPem);
    expect(kc.users[0]).toEqual({ name: 'admin', user: { token: tokens[0].token } });
  });

  it('later starts reuse the CA, serving cert and token', async () => {
    const dir = tmp();
    const a = await prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 6443 });
    const tokensBefore = readFileSync(join(dir, 'tokens.json'), 'utf8');
    const b = await prepareDataDir({ dataDir: dir, listenHost: 'localhost', listenPort: 7443 });
    expect(b.tls).toEqual(a.tls);
    expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).toBe(tokensBefore);
    expect((parse(await readAdminKubeconfig(dir)) as Kubeconfig).clusters[0]!.cluster.server).toBe('https://localhost:7443');
  });

  it('re-issues only the serving cert when the listen host is not among its SANs', async () => {
    const dir = tmp();
    const a = await prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 6443 });
    const b = await prepareDataDir({ dataDir: dir, listenHost: '127.0.0.2', listenPort: 6443 });
    expect(b.tls.caCertPem).toBe(a.tls.caCertPem);
    expect(b.tls.caKeyPem).toBe(a.tls.caKeyPem);
    expect(b.tls.certPem).not.toBe(a.tls.certPem);
    const srv = new X509Certificate(b.tls.certPem);
    expect(srv.checkIP('127.0.0.2')).toBe('127.0.0.2');
    expect(srv.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(srv.checkIssued(new X509Certificate(a.tls.caCertPem))).toBe(true);
    expect(readFileSync(join(dir, 'server.crt'), 'utf8')).toBe(b.tls.certPem);
  });

  it('a wildcard listen host gives a loopback server URL and leaves the kubeconfig for port 0 to the caller', async () => {
    const dir = tmp();
    await prepareDataDir({ dataDir: dir, listenHost: '0.0.0.0', listenPort: 0 });
    await expect(readAdminKubeconfig(dir)).rejects.toThrow(/not initialized/);
    await writeAdminKubeconfig(dir, 'https://127.0.0.1:43210');
    expect((parse(await readAdminKubeconfig(dir)) as Kubeconfig).clusters[0]!.cluster.server).toBe('https://127.0.0.1:43210');
    await prepareDataDir({ dataDir: dir, listenHost: '0.0.0.0', listenPort: 6443 });
    expect((parse(await readAdminKubeconfig(dir)) as Kubeconfig).clusters[0]!.cluster.server).toBe('https://127.0.0.1:6443');
  });

  it('tightens the mode of an existing directory and validates options', async () => {
    const dir = tmp();
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    await prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 1 });
    expect(mode(dir)).toBe(0o700);
    await expect(prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 1, serviceCidr: '10.96.0.0/33' })).rejects.toThrow();
    await expect(prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 70000 })).rejects.toThrow(/port/);
    const cfg = await prepareDataDir({
      dataDir: dir,
      listenHost: '127.0.0.1',
      listenPort: 1,
      serviceCidr: '10.100.0.0/16',
      clusterCidr: '10.200.0.0/16',
      etcdEndpoints: ['http://127.0.0.1:2379'],
      nodeMonitorGracePeriodMs: 5000,
    });
    expect(cfg).toMatchObject({ serviceCidr: '10.100.0.0/16', clusterCidr: '10.200.0.0/16', etcdEndpoints: ['http://127.0.0.1:2379'], nodeMonitorGracePeriodMs: 5000 });
  });

  it('refuses a half-present key pair and a token file without admin', async () => {
    const dir = tmp();
    await prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 1 });
    writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ tokens: [{ token: 'x', name: 'bob', groups: [] }] }));
    await expect(prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 1 })).rejects.toThrow(/no "admin" entry/);
    rmSync(join(dir, 'ca.key'));
    await expect(prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 1 })).rejects.toThrow(/only one of ca.crt and ca.key/);
  });

  it('readAdminKubeconfig / writeAdminKubeconfig fail clearly on an uninitialized dir', async () => {
    const dir = tmp();
    await expect(readAdminKubeconfig(dir)).rejects.toThrow(/is not initialized/);
    await expect(writeAdminKubeconfig(dir, 'https://127.0.0.1:1')).rejects.toThrow(/is not initialized/);
  });
});

describe('parseListen', () => {
  it('parses host:port and bracketed IPv6', () => {
    expect(parseListen('127.0.0.1:6443')).toEqual({ host: '127.0.0.1', port: 6443 });
    expect(parseListen('0.0.0.0:0')).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parseListen('[::1]:6443')).toEqual({ host: '::1', port: 6443 });
    expect(parseListen('localhost:1')).toEqual({ host: 'localhost', port: 1 });
  });
  it.each(['127.0.0.1', ':6443', '127.0.0.1:99999', 'a:b', '[nope]:1', '::1:6443'])('rejects %j', (s) => {
    expect(() => parseListen(s)).toThrow(/invalid listen address/);
  });
});
