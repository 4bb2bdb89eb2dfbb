import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ApiserverConfig } from '../../../apiserver/config.js';
import { parseArgs } from '../../../cli/args.js';
import { apiserverCommand, apiserverOptions, listeningUrl, runApiserver, type ApiserverDeps } from '../../../cli/commands/apiserver.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
const args = (argv: string[]) => parseArgs(apiserverCommand.spec, argv);

describe('apiserverOptions', () => {
  it('applies the documented defaults', () => {
    expect(apiserverOptions(args(['--data-dir', '/d']))).toEqual({
      dataDir: '/d',
      listenHost: '127.0.0.1',
      listenPort: 6443,
      etcdEndpoints: [],
      serviceCidr: '10.96.0.0/16',
      clusterCidr: '10.244.0.0/16',
      nodeMonitorGracePeriodMs: 40_000,
      defaultNotReadyTolerationSeconds: 300,
      defaultUnreachableTolerationSeconds: 300,
    });
  });

  it('takes the default toleration seconds for NoExecute eviction, whole numbers only', () => {
    const o = apiserverOptions(args(['--data-dir', '/d', '--default-unreachable-toleration-seconds', '3']));
    expect(o.defaultUnreachableTolerationSeconds).toBe(3);
    expect(() => apiserverOptions(args(['--data-dir', '/d', '--default-not-ready-toleration-seconds', '2s']))).toThrow(/not a whole number/);
  });

  it('splits comma-separated and repeated etcd endpoints and parses durations', () => {
    const o = apiserverOptions(
      args(['--data-dir', '/d', '--etcd-endpoints', 'http://127.0.0.1:2379,http://127.0.0.1:22379', '--etcd-endpoints=https://127.0.0.1:32379', '--node-monitor-grace-period', '1m30s', '--listen', '0.0.0.0:0']),
    );
    expect(o.etcdEndpoints).toEqual(['http://127.0.0.1:2379', 'http://127.0.0.1:22379', 'https://127.0.0.1:32379']);
    expect(o.nodeMonitorGracePeriodMs).toBe(90_000);
    expect(o).toMatchObject({ listenHost: '0.0.0.0', listenPort: 0 });
  });

  it('formats the announced URL with the listen host as given', () => {
    expect(listeningUrl('127.0.0.1', 1234)).toBe('https://127.0.0.1:1234');
    expect(listeningUrl('::1', 1234)).toBe('https://[::1]:1234');
  });
});

describe('runApiserver', () => {
  function fakeDeps() {
    const calls: string[] = [];
    let signal: ((s: string) => void) | undefined;
    let started: ApiserverConfig | undefined;
    const deps: ApiserverDeps = {
      async start(cfg) {
        started = cfg;
        calls.push(`start ${cfg.listenHost}:${cfg.listenPort}`);
        return { url: 'https://127.0.0.1:43210', port: 43210, close: async () => void calls.push('close') };
      },
      onShutdownSignal(h) {
        calls.push('signals');
        signal = h;
      },
    };
    return { deps, calls, fire: (s: string) => signal!(s), started: () => started };
  }

  it('prepares the dir, rewrites the kubeconfig with the real port, prints one line, closes on SIGTERM', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kinglet-apisrv-'));
    dirs.push(root);
    const dir = join(root, 'data');
    const out: string[] = [];
    const err: string[] = [];
    const f = fakeDeps();
    let kubeconfigAtAnnounce: string | undefined;
    const io = {
      stdout: (s: string) => {
        kubeconfigAtAnnounce = readFileSync(join(dir, 'admin.kubeconfig'), 'utf8');
        out.push(s);
      },
      stderr: (s: string) => void err.push(s),
    };
    const done = runApiserver(args(['--data-dir', dir, '--listen', '127.0.0.1:0']), io, f.deps);
    await new Promise((r) => setTimeout(r, 0));
    await vitestWaitFor(() => out.length > 0);
    expect(out).toEqual(['kinglet apiserver listening on https://127.0.0.1:43210\n']);
    const kc = parse(kubeconfigAtAnnounce!) as { clusters: Array<{ cluster: { server: string } }> };
    expect(kc.clusters[0]!.cluster.server).toBe('https://127.0.0.1:43210');
    expect(f.started()!.tls.certPem).toContain('BEGIN CERTIFICATE');
    f.fire('SIGTERM');
    expect(await done).toBe(0);
    expect(f.calls).toEqual(['start 127.0.0.1:0', 'signals', 'close']);
    expect(err).toEqual([]);
  });

  it('reports a start failure on stderr with exit 1 and prints nothing on stdout', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kinglet-apisrv-'));
    dirs.push(root);
    const out: string[] = [];
    const err: string[] = [];
    const deps: ApiserverDeps = {
      start: async () => {
        throw new Error('listen EADDRINUSE 127.0.0.1:6443');
      },
      onShutdownSignal: () => {},
    };
    const code = await runApiserver(args(['--data-dir', join(root, 'd')]), { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s) }, deps);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('')).toContain('EADDRINUSE');
  });
});

async function vitestWaitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
