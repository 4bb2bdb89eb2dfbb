// A stand-in for node agents in controller e2e tests that need no Docker: registers Nodes through the
// API, keeps their Ready heartbeat fresh (every second, so a short --node-monitor-grace-period works)
// and drives the pods bound to them — Pending → Running, Ready when the test's policy says so (after
// an optional delay, and back to not Ready if the policy changes), then Succeeded/Failed with an exit
// code when `outcome` says so. Pods being deleted are removed at once (grace 0), as a kubelet
// confirming the kill would.
import { json, request, type Target } from './https.js';

export interface FakeNode {
  name: string;
  labels?: Record<string, string>;
  taints?: unknown[];
}

export interface FakeKubeletOptions {
  /** node names, or nodes with labels/taints */
  nodes: (string | FakeNode)[];
  /** per pod (once Running): 'run' keeps it running, a number ends it with that exit code */
  outcome?: (pod: Record<string, any>) => 'run' | number;
  /** per Running pod: may it be Ready now? default always */
  ready?: (pod: Record<string, any>) => boolean;
  /** ms a pod stays Running-but-not-Ready before it may turn Ready; default 0 */
  readyAfterMs?: number;
  /** how often the loop runs; default 200 ms */
  everyMs?: number;
  /** pod capacity per node; default 110 */
  pods?: number;
}

export interface FakeKubelet {
  /** stop heartbeats for one node and stop driving its pods (it goes Unknown after the grace period) */
  silence(node: string): void;
  /** register one more node and drive its pods too */
  addNode(n: string | FakeNode): Promise<void>;
  stop(): Promise<void>;
  /** names of pods this kubelet saw, per node */
  seen: Map<string, Set<string>>;
  /** namespace/name of each pod whose deletion this kubelet confirmed, in that order */
  deleted: string[];
}

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const asNode = (n: string | FakeNode): FakeNode => (typeof n === 'string' ? { name: n } : n);
const readyCondition = () => ({ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fake kubelet', lastHeartbeatTime: now(), lastTransitionTime: now() });

export function nodeObject(n: string | FakeNode, pods = 110): Record<string, any> {
  const { name, labels, taints } = asNode(n);
  const cap = { cpu: '64', memory: '256Gi', pods: String(pods) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(labels ?? {}) } },
    spec: taints ? { taints } : {},
    status: {
      capacity: cap,
      allocatable: cap,
      conditions: [readyCondition()],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
    },
  };
}

async function must(t: Target, method: string, path: string, body?: object): Promise<Record<string, any>> {
  const r = await request(t, method, path, body ? { body } : {});
  if (r.status >= 300 && r.status !== 404 && r.status !== 409) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 300)}`);
  return r.status < 300 ? json(r) : {};
}

export async function registerNode(t: Target, n: string | FakeNode, pods = 110): Promise<void> {
  await must(t, 'POST', '/api/v1/nodes', nodeObject(n, pods));
}

const isReady = (pod: Record<string, any>): boolean =>
  (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');

function podStatus(pod: Record<string, any>, phase: string, ready: boolean, exitCode?: number): Record<string, any> {
  const ts = now();
  const r = ready ? 'True' : 'False';
  const state = exitCode === undefined ? { running: { startedAt: ts } } : { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed', startedAt: ts, finishedAt: ts } };
  return {
    ...pod.status,
    phase,
    hostIP: '127.0.0.1',
    podIP: '10.244.9.9',
    startTime: pod.status?.startTime ?? ts,
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: ts },
      { type: 'Initialized', status: 'True', lastTransitionTime: ts },
      { type: 'ContainersReady', status: r, lastTransitionTime: ts },
      { type: 'Ready', status: r, lastTransitionTime: ts },
    ],
    containerStatuses: (pod.spec.containers ?? []).map((c: { name: string; image: string }) => ({
      name: c.name, image: c.image, imageID: '', ready, restartCount: 0, started: exitCode === undefined, state,
    })),
  };
}

export async function startFakeKubelet(srv: { url: string; caPem: string; token: string }, opts: FakeKubeletOptions): Promise<FakeKubelet> {
  // the live object, not a copy: TestApiserver.restart() moves url and token, and we must follow
  const t: Target = srv;
  const nodes = opts.nodes.map(asNode);
  const silent = new Set<string>();
  const seen = new Map<string, Set<string>>(nodes.map((n) => [n.name, new Set<string>()]));
  const firstSeen = new Map<string, number>();
  const deleted: string[] = [];
  const readyAfter = opts.readyAfterMs ?? 0;
  for (const n of nodes) await registerNode(t, n, opts.pods);
  let stopped = false;
  let lastBeat = 0;

  const beat = async (): Promise<void> => {
    for (const n of nodes) {
      if (silent.has(n.name)) continue;
      const node = await must(t, 'GET', `/api/v1/nodes/${n.name}`);
      if (!node.metadata) continue;
      node.status.conditions = [readyCondition()];
      await must(t, 'PUT', `/api/v1/nodes/${n.name}/status`, node);
    }
  };

  const put = (pod: Record<string, any>, phase: string, ready: boolean, exitCode?: number) =>
    must(t, 'PUT', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { ...pod, status: podStatus(pod, phase, ready, exitCode) });

  const drive = async (pod: Record<string, any>): Promise<void> => {
    const uid = pod.metadata.uid;
    if (pod.metadata.deletionTimestamp) {
      firstSeen.delete(uid);
      await must(t, 'DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, { gracePeriodSeconds: 0, preconditions: { uid } });
      deleted.push(`${pod.metadata.namespace}/${pod.metadata.name}`);
      return;
    }
    const phase = pod.status?.phase ?? 'Pending';
    if (phase === 'Succeeded' || phase === 'Failed') return;
    if (!firstSeen.has(uid)) firstSeen.set(uid, Date.now());
    const want = (opts.ready?.(pod) ?? true) && Date.now() - firstSeen.get(uid)! >= readyAfter;
    if (phase !== 'Running' || isReady(pod) !== want) return void (await put(pod, 'Running', want));
    const o = opts.outcome?.(pod) ?? 'run';
    if (o !== 'run') await put(pod, o === 0 ? 'Succeeded' : 'Failed', false, o);
  };

  const step = async (): Promise<void> => {
    if (Date.now() - lastBeat > 1000) {
      lastBeat = Date.now();
      await beat();
    }
    const list = await must(t, 'GET', '/api/v1/pods');
    const mine = (list.items ?? []).filter((p: any) => seen.has(p.spec?.nodeName) && !silent.has(p.spec.nodeName));
    for (const pod of mine) seen.get(pod.spec.nodeName)!.add(pod.metadata.name);
    // pods are independent: drive them concurrently so a 100-pod test does not wait on 100 round trips
    await Promise.all(mine.map((pod: any) => drive(pod).catch(() => undefined)));
  };

  const loop = (async () => {
    while (!stopped) {
      // the server may be restarting or stopping; the next step retries
      await step().catch(() => undefined);
      await new Promise((r) => setTimeout(r, opts.everyMs ?? 200));
    }
  })();

  return {
    seen,
    deleted,
    silence: (n) => void silent.add(n),
    async addNode(n) {
      const node = asNode(n);
      await registerNode(t, node, opts.pods);
      nodes.push(node);
      seen.set(node.name, new Set<string>());
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
