// Starts a real `kinglet apiserver` process from dist/ on 127.0.0.1:0 with its own data dir, waits for
// its single readiness line and exposes what tests need: URL, credentials, kill and restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readKubeconfig } from './kubeconfig.js';
import { assertBuilt, KINGLET_BIN, REPO_ROOT } from './paths.js';

const READY_LINE = /^kinglet apiserver listening on (https:\/\/\S+)\s*$/;
const START_TIMEOUT_MS = 45_000;

export interface StartOptions {
  /** reuse a data dir (restart scenarios); default: a fresh temp dir removed by stop() */
  dataDir?: string;
  /** extra environment for the server process (e.g. KINGLET_WATCH_HISTORY) */
  env?: Record<string, string>;
  /** extra CLI arguments after the fixed ones */
  args?: string[];
}

export interface TestApiserver {
  url: string;
  dataDir: string;
  kubeconfigPath: string;
  token: string;
  caPem: string;
  pid: number;
  /** everything the process wrote to stdout+stderr so far (for failure messages) */
  output(): string;
  /** sends the signal and resolves when the process has exited */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** kills (SIGTERM) if still running, then starts a new process on the same data dir */
  restart(): Promise<void>;
  /** kill + remove the temp data dir (if we created it) */
  stop(): Promise<void>;
}

interface Proc {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
  output: () => string;
}

function launch(dataDir: string, opts: StartOptions): Promise<Proc> {
  const child = spawn(
    process.execPath,
    [KINGLET_BIN, 'apiserver', '--data-dir', dataDir, '--listen', '127.0.0.1:0', ...(opts.args ?? [])],
    { cwd: REPO_ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let lineBuf = '';
  const output = () => out;
  let exitedResolve!: () => void;
  const exited = new Promise<void>((r) => (exitedResolve = r));
  child.on('exit', () => exitedResolve());
  child.on('error', () => exitedResolve());
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));

  return new Promise<Proc>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`apiserver did not start: ${why}\n--- output ---\n${out.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`no readiness line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (settled) return;
      lineBuf += d;
      let nl: number;
      while ((nl = lineBuf.indexOf('\n')) >= 0) {
        const line = lineBuf.slice(0, nl);
        lineBuf = lineBuf.slice(nl + 1);
        const m = READY_LINE.exec(line);
        if (m) {
          settled = true;
          clearTimeout(timer);
          resolve({ child, url: m[1]!, exited, output });
          return;
        }
      }
    });
    void exited.then(() => fail(`process exited (code ${child.exitCode}, signal ${child.signalCode})`));
  });
}

export async function startApiserver(opts: StartOptions = {}): Promise<TestApiserver> {
  assertBuilt();
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kinglet-e2e-'));
  let proc = await launch(dataDir, opts);
  const kubeconfigPath = join(dataDir, 'admin.kubeconfig');
  if (!existsSync(kubeconfigPath)) throw new Error(`${kubeconfigPath} missing after readiness line`);
  const creds = readKubeconfig(kubeconfigPath);

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
    // A server that ignores SIGTERM must not hang the suite.
    const t = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
    await proc.exited;
    clearTimeout(t);
  };

  const srv: TestApiserver = {
    url: proc.url,
    dataDir,
    kubeconfigPath,
    token: creds.token,
    caPem: creds.caPem,
    pid: proc.child.pid ?? -1,
    output: () => proc.output(),
    kill,
    async restart() {
      await kill('SIGTERM');
      proc = await launch(dataDir, opts);
      const c = readKubeconfig(kubeconfigPath);
      srv.url = proc.url;
      srv.token = c.token;
      srv.caPem = c.caPem;
      srv.pid = proc.child.pid ?? -1;
    },
    async stop() {
      await kill('SIGTERM');
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return srv;
}
