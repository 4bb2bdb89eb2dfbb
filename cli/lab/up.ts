// `kinglet lab up`: namespaces and links, then (in parallel) the registry, one dockerd per node and
// the apiserver, then the agents, then wait until every node is Ready. Every step records what it
// made in DIR/lab.json first, so a failure part way is cleaned up by the same `lab down`.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_IMAGES } from './images.js';
import { adminAccess, joinToken } from './control-plane.js';
import { nodeReadiness, startAgent, startApiserver, startDockerd, startRegistry, seedRegistry } from './daemons.js';
import { APISERVER_PORT, REGISTRY_PORT, addressesFor, layoutFor, nodeName, nodeNs, pickSubnet } from './layout.js';
import { createLabBridge, createNodeNetns, hostRoutesAndAddresses, listNetns } from './netns.js';
import { isOurs, tail, waitFor } from './proc.js';
import { readState, writeState, type LabState } from './state.js';

export interface UpOptions {
  dir: string;
  nodes: number;
  progress(line: string): void;
  readyTimeoutMs?: number;
  /** appended to the apiserver's command line, e.g. ['--node-monitor-grace-period=10s'] */
  apiserverArgs?: string[];
}

export const apiserverDir = (s: LabState): string => join(s.dir, 'apiserver');
export const logDir = (s: LabState): string => join(s.dir, 'logs');

export async function labUp(opts: UpOptions): Promise<LabState> {
  const t0 = Date.now();
  const elapsed = (): string => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const say = (msg: string): void => opts.progress(`[${elapsed().padStart(5)}] ${msg}`);
  const l = layoutFor(opts.dir);

  // 1. Refuse to build over a lab that is (partly) there: down first.
  const previous = readState(l.dir);
  if (previous || (await listNetns()).some((n) => n.startsWith(l.nsPrefix))) {
    throw new Error(`a lab already exists for ${l.dir} (id ${l.id}); run "kinglet lab down --dir ${l.dir}" first`);
  }
  if (process.getuid?.() !== 0) throw new Error('kinglet lab needs root (network namespaces, dockerd, iptables)');

  // 2. Names and addresses, recorded before anything is made.
  const subnet = pickSubnet(await hostRoutesAndAddresses(), l.id);
  const addrs = addressesFor(subnet, opts.nodes);
  const registry = `${addrs.hostIp}:${REGISTRY_PORT}`;
  const state: LabState = {
    id: l.id,
    dir: l.dir,
    subnet,
    hostIp: addrs.hostIp,
    hostLink: l.hostLink,
    labNs: l.labNs,
    runDir: l.runDir,
    registry,
    apiserverUrl: `https://${addrs.hostIp}:${APISERVER_PORT}`,
    kubeconfig: join(l.dir, 'kubeconfig'),
    nodes: addrs.nodeIps.map((ip, i) => {
      const name = nodeName(i + 1);
      return { name, netns: nodeNs(l, name), ip, dockerSock: join(l.runDir, name, 'docker.sock') };
    }),
    createdAt: new Date().toISOString(),
  };
  mkdirSync(logDir(state), { recursive: true });
  mkdirSync(l.runDir, { recursive: true });
  writeState(state);
  say(`lab ${l.id}: ${opts.nodes} node(s) on ${subnet} (host ${addrs.hostIp}), dir ${l.dir}`);

  // 3. Wiring: the bridge namespace and host link first (the apiserver binds the host address), then
  //    every node namespace while the apiserver starts.
  await createLabBridge(l, addrs.hostIp, addrs.prefix);
  const apiStep = (async () => {
    const { proc, url } = await startApiserver(apiserverDir(state), addrs.hostIp, APISERVER_PORT, logDir(state), opts.apiserverArgs, (p) => {
      state.apiserver = p;
      writeState(state);
    });
    state.apiserver = proc;
    state.apiserverUrl = url;
    writeState(state);
    copyFileSync(join(apiserverDir(state), 'admin.kubeconfig'), state.kubeconfig);
    say(`apiserver: ${url}`);
    const admin = await adminAccess(apiserverDir(state));
    return { admin, token: await joinToken(apiserverDir(state), admin.caPem) };
  })();
  const nets = Promise.all(state.nodes.map((n) => createNodeNetns(l, n.netns, n.name, n.ip, addrs.prefix)));
  nets.then(() => say(`namespaces ready: ${l.labNs}, ${state.nodes.map((n) => n.netns).join(', ')} (no default route)`), () => undefined);

  // 4. In parallel: the registry (+ test images) and, per node, its dockerd then its agent as soon
  //    as both that dockerd and the apiserver are up (one join token for all).
  const registryStep = (async () => {
    state.registryProcess = await startRegistry(join(l.dir, 'registry'), registry, logDir(state), (p) => {
      state.registryProcess = p;
      writeState(state);
    });
    writeState(state);
    await seedRegistry(registry, LOCAL_IMAGES);
    say(`registry: ${registry} (${LOCAL_IMAGES.join(', ')})`);
  })();
  const nodeSteps = state.nodes.map(async (n) => {
    await nets;
    n.dockerd = await startDockerd(n, join(l.dir, 'nodes', n.name, 'docker'), join(l.runDir, n.name), registry, logDir(state), (p) => {
      n.dockerd = p;
      writeState(state);
    });
    writeState(state);
    say(`${n.name}: dockerd ready in ${n.netns}`);
    const { token } = await apiStep;
    n.agent = startAgent(n, state.apiserverUrl, token, join(l.dir, 'nodes', n.name, 'agent'), logDir(state));
    writeState(state);
    say(`${n.name}: agent started`);
  });
  // every step is awaited (no unhandled rejections), the first failure is reported
  const results = await Promise.allSettled([registryStep, apiStep, nets, ...nodeSteps]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const { admin } = await apiStep;

  // 6. Ready means Ready: every Node reports the condition True.
  await waitFor(
    'every node Ready',
    async () => {
      for (const n of state.nodes) {
        const log = n.agent?.log ?? '';
        if (!isOurs(n.agent)) throw new Error(`${n.name} agent exited; last log lines:\n${tail(log)}`);
      }
      const ready = await nodeReadiness(state.apiserverUrl, admin.token, admin.caPem);
      return state.nodes.every((n) => ready.get(n.name) === 'True');
    },
    opts.readyTimeoutMs ?? 90_000,
    200,
  );
  say(`all ${opts.nodes} node(s) Ready; kubeconfig: ${state.kubeconfig}`);
  return state;
}
