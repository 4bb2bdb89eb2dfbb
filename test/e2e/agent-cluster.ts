// A one-node cluster for the agent e2e tests: a real apiserver process, a join token from
// `kinglet token create`, and a real `kinglet agent` process on the test dockerd, all from dist/.
// Kill/restart helpers for the adoption and apiserver-outage cases; cleanup removes every
// container of the pods the test created.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_NODE_FLAGS } from '../../agent/node-flags.js';
import { LABEL_MANAGED } from '../../agent/runtime/labels.js';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { DOCKER_SOCK, testDocker } from '../helpers/docker.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { KINGLET_BIN, REPO_ROOT } from '../helpers/paths.js';

export const NODE = 'e2e-node';

export interface AgentProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export interface AgentCluster {
  srv: TestApiserver;
  k: Kubectl;
  agentDir: string;
  agent: AgentProcess;
  /** a fresh join token */
  token(ttl?: string): string;
  /** spawn `kinglet agent` (token only when given) */
  spawnAgent(opts?: { token?: string; dataDir?: string; nodeName?: string }): AgentProcess;
  killAgent(signal?: NodeJS.Signals): Promise<void>;
  /** start a new agent on the same data dir (no token: reuses the credential) */
  restartAgent(): Promise<void>;
  waitNodeReady(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function createToken(srv: TestApiserver, ttl = '1h'): string {
  return execFileSync(process.execPath, [KINGLET_BIN, 'token', 'create', '--data-dir', srv.dataDir, '--ttl', ttl], { encoding: 'utf8' }).trim();
}

export function spawnAgentProcess(server: string, args: { token?: string; dataDir: string; nodeName: string }): AgentProcess {
  // Host-namespace agents: no routes, no iptables, no outside resolver (the lab tests those parts).
  const argv = [KINGLET_BIN, 'agent', '--server', server, '--node-name', args.nodeName, '--data-dir', args.dataDir, '--docker-host', `unix://${DOCKER_SOCK}`, '--node-ip', '127.0.0.1', '--pod-network', 'none', '--proxy=false', '--dns-upstream', 'none'];
  if (args.token) argv.push('--token', args.token);
  // run as scripts/up.sh does (small V8 young generation)
  const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, ...argv], { cwd: REPO_ROOT, env: { ...process.env, KINGLET_LOG_LEVEL: process.env.KINGLET_LOG_LEVEL ?? 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

export async function until<T>(what: string, fn: () => T | undefined | false | null | Promise<T | undefined | false | null>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function startAgentCluster(): Promise<AgentCluster> {
  const srv = await startApiserver();
  const k = kubectlFor(srv);
  const agentDir = mkdtempSync(join(tmpdir(), 'kinglet-e2e-agent-'));
  const c: AgentCluster = {
    srv,
    k,
    agentDir,
    agent: undefined as unknown as AgentProcess,
    token: (ttl) => createToken(srv, ttl),
    spawnAgent: (o = {}) => spawnAgentProcess(srv.url, { token: o.token, dataDir: o.dataDir ?? agentDir, nodeName: o.nodeName ?? NODE }),
    async killAgent(signal = 'SIGTERM') {
      const a = c.agent;
      if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill(signal);
      const t = setTimeout(() => a.child.kill('SIGKILL'), 10_000);
      await a.exited;
      clearTimeout(t);
    },
    async restartAgent() {
      await c.killAgent('SIGTERM');
      c.agent = c.spawnAgent();
    },
    async waitNodeReady(timeoutMs = 30_000) {
      await until(
        'node Ready',
        async () => {
          if (c.agent.child.exitCode !== null) throw new Error(`agent exited ${c.agent.child.exitCode}:\n${c.agent.output().slice(-3000)}`);
          const r = await k.run(['get', 'node', NODE, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
          return r.stdout.trim() === 'True';
        },
        timeoutMs,
      ).catch((e: Error) => {
        throw new Error(`${e.message}\n--- agent output ---\n${c.agent.output().slice(-3000)}`);
      });
    },
    async stop() {
      await c.killAgent('SIGTERM').catch(() => undefined);
      await srv.stop();
      k.cleanup();
      rmSync(agentDir, { recursive: true, force: true });
    },
  };
  c.agent = c.spawnAgent({ token: createToken(srv) });
  await c.waitNodeReady(45_000);
  return c;
}

/** Remove every kinglet container of the given pod uids (test cleanup; the agent may be gone). */
export async function removePodContainers(uids: string[]): Promise<void> {
  const docker = testDocker();
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } });
  await Promise.all(
    list.filter((x) => uids.includes(x.Labels['io.kinglet.pod.uid'] ?? '')).map((x) => docker.getContainer(x.Id).remove({ force: true, v: true }).catch(() => undefined)),
  );
}

/** uids of every pod in a namespace (for cleanup) */
export async function podUids(k: Kubectl, ns = 'default'): Promise<string[]> {
  const r = await k.run(['get', 'pods', '-n', ns, '-o', 'jsonpath={.items[*].metadata.uid}']);
  return r.stdout.split(/\s+/).filter(Boolean);
}

export async function podJson(k: Kubectl, name: string, ns = 'default'): Promise<any> {
  const r = await k.run(['get', 'pod', name, '-n', ns, '-o', 'json']);
  return r.code === 0 ? JSON.parse(r.stdout) : undefined;
}

/**
 * The teardown every agent e2e file shares: note the uids of the pods still there, run `deletes`
 * (their owners, so nothing recreates them), force-delete the pods, stop the cluster and remove
 * the pods' containers from the shared test dockerd.
 */
export async function stopAgentCluster(c: AgentCluster | undefined, uids: Iterable<string>, deletes: string[][] = []): Promise<void> {
  if (!c) return;
  const all = new Set([...uids, ...(await podUids(c.k).catch(() => []))]);
  for (const args of deletes) await c.k.run(args).catch(() => undefined);
  await c.k.run(['delete', 'pods', '--all', '--grace-period=0', '--force']).catch(() => undefined);
  await c.stop();
  await removePodContainers([...all]);
}
