// Starts `kinglet apiserver` from the built dist/ on 127.0.0.1:0 in a temp data dir and reads its
// credentials from the admin kubeconfig it writes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Target } from './https-client.js';

const READY = /^kinglet apiserver listening on (https:\/\/\S+)\s*$/m;

/** The repository root: the nearest parent holding bin/kinglet (works from bench/ and dist/bench/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'bin', 'kinglet'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find bin/kinglet above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export interface ServerProcess extends Target {
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startServer(timeoutMs = 60_000): Promise<ServerProcess> {
  const root = repoRoot();
  const dataDir = mkdtempSync(join(tmpdir(), 'kinglet-bench-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'bin', 'kinglet'), 'apiserver', '--data-dir', dataDir, '--listen', '127.0.0.1:0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KINGLET_LOG_LEVEL: process.env.KINGLET_LOG_LEVEL ?? 'warn' } },
  );
  let out = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-8000)));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`apiserver not ready in ${timeoutMs} ms\n${out}`)), timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => (clearTimeout(timer), reject(new Error(`apiserver exited\n${out}`))));
  });
  const kc = parse(readFileSync(join(dataDir, 'admin.kubeconfig'), 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  return {
    url,
    caPem: Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString('utf8'),
    token: kc.users[0]!.user.token,
    pid: child.pid ?? -1,
    dataDir,
    async stop() {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resident set size of a process in MiB, from /proc/PID/status (VmRSS / VmHWM). */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: Math.round(kb('VmRSS') / 102.4) / 10, peakMiB: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/** CPU seconds (user + system) the process has used so far, from /proc/PID/stat. */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * Wait until the server's background work after a bulk load (the scheduler's status writes and
 * events for every new pod) has drained: CPU under `busyFraction` of one core for a whole second.
 * Returns the seconds waited (capped by maxSeconds).
 */
export async function waitQuiet(pid: number, maxSeconds = 120, busyFraction = 0.1): Promise<number> {
  const t0 = performance.now();
  let prev = cpuSecondsOf(pid);
  while ((performance.now() - t0) / 1000 < maxSeconds) {
    await new Promise((r) => setTimeout(r, 1000));
    const cur = cpuSecondsOf(pid);
    if (cur - prev < busyFraction) break;
    prev = cur;
  }
  return (performance.now() - t0) / 1000;
}
