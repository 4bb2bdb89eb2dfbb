// Starting the lab's long-running processes: one dockerd per node inside its namespace, the
// registry and the apiserver on the host side of the lab bridge, one agent per node. Each starts
// detached with its log in DIR/logs and is waited for until it answers.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_NODE_FLAGS } from '../../agent/node-flags.js';
import { NODE_DOCKER_BIP } from './layout.js';
import { isOurs, sh, spawnDaemon, tail, waitFor } from './proc.js';
import type { NodeRecord, ProcessRecord } from './state.js';

/** The checkout or package root (holds bin/kinglet and scripts/), from dist/cli/lab or cli/lab. */
export function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(d, 'bin', 'kinglet')) && existsSync(join(d, 'scripts'))) return d;
    d = resolve(d, '..');
  }
  throw new Error('cannot find the kinglet root (bin/kinglet) above this module');
}

const alive = (p: ProcessRecord, what: string): void => {
  const log = p.log;
  if (!isOurs(p)) throw new Error(`${what} exited; last log lines:\n${tail(log)}`);
};

function httpOk(url: string): Promise<boolean> {
  return new Promise((res) => {
    const req = httpRequest(url, { timeout: 1000 }, (r) => {
      r.resume();
      res(r.statusCode === 200);
    });
    req.on('error', () => res(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** onSpawn records the process at once, so an interrupted up still stops it. */
export type OnSpawn = (p: ProcessRecord) => void;

export async function startDockerd(node: NodeRecord, dataDir: string, execRoot: string, registry: string, logDir: string, onSpawn: OnSpawn = () => undefined): Promise<ProcessRecord> {
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(execRoot, { recursive: true });
  // its own (empty) config file: /etc/docker/daemon.json of the host must not leak into the nodes
  const config = join(dataDir, '..', 'daemon.json');
  writeFileSync(config, '{}\n');
  const log = join(logDir, `${node.name}-dockerd.log`);
  // nsenter --net, NOT ip netns exec: the latter remounts /sys and dockerd then dies (LAB.md)
  const p = spawnDaemon(
    'nsenter',
    [`--net=/run/netns/${node.netns}`, 'dockerd', '--config-file', config, '--data-root', dataDir, '--exec-root', execRoot, '-H', `unix://${node.dockerSock}`, '--pidfile', join(execRoot, 'docker.pid'), '--bip', NODE_DOCKER_BIP, '--insecure-registry', registry, '--shutdown-timeout', '2', '--log-level', 'warn'],
    log,
    execRoot,
  );
  onSpawn(p);
  await waitFor(
    `${node.name} dockerd`,
    async () => {
      alive(p, `${node.name} dockerd`);
      return existsSync(node.dockerSock) && (await sh('docker', ['-H', `unix://${node.dockerSock}`, 'version', '--format', '{{.Server.Version}}']).then(() => true, () => false));
    },
    60_000,
    150,
  );
  return p;
}

export async function startRegistry(dir: string, addr: string, logDir: string, onSpawn: OnSpawn = () => undefined): Promise<ProcessRecord> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const config = join(dir, 'config.yml');
  writeFileSync(config, ['version: 0.1', 'log: {level: warn}', 'storage:', `  filesystem: {rootdirectory: ${join(dir, 'data')}}`, '  delete: {enabled: true}', `http: {addr: "${addr}"}`, ''].join('\n'));
  const p = spawnDaemon('docker-registry', ['serve', config], join(logDir, 'registry.log'), config);
  onSpawn(p);
  await waitFor('registry', async () => (alive(p, 'registry'), httpOk(`http://${addr}/v2/`)), 20_000);
  return p;
}

/**
 * The project's test images into the lab registry: build-test-images.sh makes sure the test dockerd
 * has pushed them to its loopback registry, skopeo copies them from there (no daemon needs to trust
 * the lab address).
 */
export async function seedRegistry(addr: string, images: string[]): Promise<void> {
  const script = join(repoRoot(), 'scripts', 'images', 'build-test-images.sh');
  await sh('bash', [script]);
  const src = `127.0.0.1:${process.env.KINGLET_REGISTRY_PORT ?? '5000'}`;
  await Promise.all(images.map((img) => sh('skopeo', ['copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${src}/${img}`, `docker://${addr}/${img}`])));
}

const kinglet = (): string[] => [join(repoRoot(), 'bin', 'kinglet')];

export async function startApiserver(dataDir: string, hostIp: string, port: number, logDir: string, extraArgs: string[] = [], onSpawn: OnSpawn = () => undefined): Promise<{ proc: ProcessRecord; url: string }> {
  const log = join(logDir, 'apiserver.log');
  const p = spawnDaemon(process.execPath, [...kinglet(), 'apiserver', '--data-dir', dataDir, '--listen', `${hostIp}:${port}`, ...extraArgs], log, dataDir);
  onSpawn(p);
  const url = `https://${hostIp}:${port}`;
  await waitFor('apiserver', async () => (alive(p, 'apiserver'), tail(log, 200).includes(`listening on ${url}`)), 60_000);
  return { proc: p, url };
}

export function startAgent(node: NodeRecord, server: string, token: string, dataDir: string, logDir: string): ProcessRecord {
  mkdirSync(dataDir, { recursive: true });
  return spawnDaemon(
    'nsenter',
    [`--net=/run/netns/${node.netns}`, process.execPath, ...AGENT_NODE_FLAGS, ...kinglet(), 'agent', '--server', server, '--token', token, '--node-name', node.name, '--data-dir', dataDir, '--docker-host', `unix://${node.dockerSock}`, '--node-ip', node.ip],
    join(logDir, `${node.name}-agent.log`),
    dataDir,
    { ...process.env, KINGLET_LOG_LEVEL: process.env.KINGLET_LOG_LEVEL ?? 'info' },
  );
}

/** GET a JSON document from the apiserver with the admin token. */
export function apiGet(url: string, token: string, caPem: string, timeoutMs = 5_000): Promise<any> {
  return new Promise((res, rej) => {
    const req = request(url, { ca: caPem, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, timeout: timeoutMs }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        if (r.statusCode !== 200) return rej(new Error(`GET ${url}: HTTP ${r.statusCode}`));
        try {
          res(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (e) {
          rej(e as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', rej);
    req.end();
  });
}

/** name → Ready condition status ("True", "False", "Unknown") of every Node */
export async function nodeReadiness(server: string, token: string, caPem: string): Promise<Map<string, string>> {
  const doc = (await apiGet(`${server}/api/v1/nodes`, token, caPem)) as { items?: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] };
  return new Map((doc.items ?? []).map((n) => [n.metadata.name, n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown']));
}
