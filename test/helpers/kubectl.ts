// Runs the real kubectl against a test apiserver: --kubeconfig plus a fresh --cache-dir per server,
// because kubectl caches discovery per host:port for hours. Also long-running `get -w` watchers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUBECTL } from './paths.js';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  /** written to kubectl's stdin (for `-f -`) */
  input?: string;
  timeoutMs?: number;
  /** use this kubeconfig instead of the server's (e.g. one with a wrong token) */
  kubeconfigPath?: string;
}

export interface KubectlWatch {
  lines: string[];
  /** resolves with the first stdout line (seen so far or later) matching re */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  stderr(): string;
  kill(): Promise<void>;
}

export interface Kubectl {
  run(args: string[], opts?: RunOptions): Promise<KubectlResult>;
  /** like run, but throws with stderr when the exit code is not 0 */
  ok(args: string[], opts?: RunOptions): Promise<string>;
  watch(args: string[]): KubectlWatch;
  cacheDir: string;
  cleanup(): void;
}

export function kubectlFor(server: { kubeconfigPath: string }): Kubectl {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kinglet-kubectl-cache-'));
  const baseArgs = (kc: string) => ['--kubeconfig', kc, '--cache-dir', cacheDir];
  const children = new Set<ChildProcess>();

  const run = (args: string[], opts: RunOptions = {}): Promise<KubectlResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(KUBECTL, [...baseArgs(opts.kubeconfigPath ?? server.kubeconfigPath), ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, KUBECONFIG: '' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 45_000);
      child.on('error', (e) => (clearTimeout(timer), reject(e)));
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ stdout, stderr: signal ? `${stderr}\n[killed by ${signal}]` : stderr, code: code ?? 128 });
      });
      child.stdin.end(opts.input ?? '');
    });

  return {
    cacheDir,
    run,
    async ok(args, opts) {
      const r = await run(args, opts);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      return r.stdout;
    },
    watch(args) {
      const child = spawn(KUBECTL, [...baseArgs(server.kubeconfigPath), ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KUBECONFIG: '' },
      });
      children.add(child);
      const lines: string[] = [];
      const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
      let buf = '';
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          lines.push(line);
          for (const w of [...waiters]) if (w.re.test(line)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(line));
        }
      });
      const closed = new Promise<void>((r) => child.on('close', () => r()));
      return {
        lines,
        stderr: () => err,
        waitForLine(re, timeoutMs = 20_000) {
          const hit = lines.find((l) => re.test(l));
          if (hit !== undefined) return Promise.resolve(hit);
          return new Promise((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`no line matching ${re} in ${timeoutMs} ms\nlines: ${JSON.stringify(lines)}\nstderr: ${err}`)),
              timeoutMs,
            );
            waiters.push({ re, resolve: (l) => (clearTimeout(timer), resolve(l)) });
          });
        },
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await closed;
          children.delete(child);
        },
      };
    },
    cleanup() {
      for (const c of children) c.kill('SIGKILL');
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Splits kubectl's table output into rows of whitespace-separated cells (header first). */
export function tableRows(stdout: string): string[][] {
  return stdout.split('\n').filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s{2,}/));
}
