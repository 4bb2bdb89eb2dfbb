import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareDataDir } from '../../../apiserver/config.js';
import { COMMANDS, main } from '../../../cli/main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out, err };
}

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('kinglet dispatcher', () => {
  it('--help lists every command', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    for (const cmd of COMMANDS) expect(c.out.join('')).toContain(cmd.spec.name);
    expect(c.err).toEqual([]);
  });

  it('<cmd> --help describes every flag', async () => {
    const c = capture();
    expect(await main(['apiserver', '--help'], c.io)).toBe(0);
    const text = c.out.join('');
    for (const f of ['--data-dir DIR', '--listen HOST:PORT', '--etcd-endpoints URLS', '--service-cidr CIDR', '--cluster-cidr CIDR', '--node-monitor-grace-period DURATION']) {
      expect(text).toContain(f);
    }
    expect(text).toContain('default 127.0.0.1:6443');
    expect(text).toContain('default 10.96.0.0/16');
    expect(text).toContain('default 10.244.0.0/16');
    expect(text).toContain('default 40s');
    const h = capture();
    expect(await main(['help', 'kubeconfig'], h.io)).toBe(0);
    expect(h.out.join('')).toContain('--data-dir DIR');
  });

  it('unknown command, unknown flag and missing required flag exit 2 with a message on stderr', async () => {
    for (const argv of [['frobnicate'], ['--frob'], ['apiserver', '--data-dir', '/tmp/x', '--nope'], ['kubeconfig'], ['help', 'nope']]) {
      const c = capture();
      expect(await main(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.err.join('')).toMatch(/^error: /);
      expect(c.out).toEqual([]);
    }
    const c = capture();
    await main(['apiserver', '--data-dir', 'd', '--bogus'], c.io);
    expect(c.err.join('')).toContain('unknown flag: --bogus');
    expect(c.err.join('')).toContain("kinglet apiserver --help");
  });

  it('bad flag values are usage errors (exit 2)', async () => {
    for (const bad of [['--listen', 'nope'], ['--node-monitor-grace-period', '40'], ['--service-cidr', '10.0.0.0/99'], ['--etcd-endpoints', 'ftp://x']]) {
      const c = capture();
      expect(await main(['apiserver', '--data-dir', '/nonexistent/never', ...bad], c.io), bad.join(' ')).toBe(2);
      expect(c.err.join('')).toContain(bad[0]);
    }
  });

  it('bare kinglet prints help on stderr and exits 2', async () => {
    const c = capture();
    expect(await main([], c.io)).toBe(2);
    expect(c.err.join('')).toContain('Commands:');
  });

  it('version prints the package.json version', async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    for (const argv of [['version'], ['--version']]) {
      const c = capture();
      expect(await main(argv, c.io)).toBe(0);
      expect(c.out.join('')).toBe(`${pkg.version}\n`);
    }
  });

  it('kubeconfig prints the admin kubeconfig, or fails with exit 1 on an uninitialized dir', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kinglet-cli-'));
    dirs.push(root);
    const dir = join(root, 'data');
    const bad = capture();
    expect(await main(['kubeconfig', '--data-dir', dir], bad.io)).toBe(1);
    expect(bad.err.join('')).toMatch(/not initialized/);

    await prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 6443 });
    const c = capture();
    expect(await main(['kubeconfig', `--data-dir=${dir}`], c.io)).toBe(0);
    expect(c.out.join('')).toBe(readFileSync(join(dir, 'admin.kubeconfig'), 'utf8'));
    expect(c.out.join('')).toContain('server: https://127.0.0.1:6443');
  });
});
