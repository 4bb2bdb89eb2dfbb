// A fake kubelet for controller e2e tests that need no Docker: registers Nodes through the API,
// keeps their Ready heartbeat fresh (every second, so a short --node-monitor-grace-period works), and drives the pods bound to them — Pending → Running (Ready),
// then, when the test's `outcome` says so, Succeeded/Failed with an exit code. Pods being deleted
// are removed at once (grace 0), as a kubelet confirming the kill would.
import { json, request, targetOf, type Target } from './https.js';

export interface FakeKubeletOptions {
  nodes: { name: string; labels?: Record<string, string>; taints?: unknown[] }[];
  /** per pod (once Running): 'run' keeps it running, a number ends it with that exit code */
  outcome?: (pod: Record<string, any>) => 'run' | number;
  /** per Running pod: may it turn Ready yet? default always */
  ready?: (pod: Record<string, any>) => boolean;
  /** how often the loop runs; default 200 ms */
  everyMs?: number;
}

export interface FakeKubelet {
  /** stop heartbeats for one node and stop driving its pods (it goes Unknown after the grace period) */
  silence(node: string): void;
  /** register one more node and drive its pods too */
  addNode(n: FakeKubeletOptions['nodes'][number]): Promise<void>;
  stop(): Promise<void>;
  /** names of pods this kubelet saw, per node */
  seen: Map<string, Set<string>>;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function nodeObject(n: FakeKubeletOptions['nodes'][number]): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', ...(n.labels ?? {}) } },
    spec: n.taints ? { taints: n.taints } : {},
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok', lastHeartbeatTime: now(), lastTransitionTime: now() }],
    },
  };
}

async function must(t: Target, method: string, path: string, body?: object): Promise<Record<string, any>> {
  const r = await request(t, method, path, body ? { body } : {});
  if (r.status >= 300 && r.status !== 404 && r.status !== 409) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 300)}`);
  return r.status < 300 ? json(r) : {};
}

export async function startFakeKubelet(srv: { url: string; caPem: string; token: string }, opts: FakeKubeletOptions): Promise<FakeKubelet> {
  const t = targetOf(srv);
  const silent = new Set<string>();
  const seen = new Map<string, Set<string>>(opts.nodes.map((n) => [n.name, new Set<string>()]));
  for (const n of opts.nodes) await must(t, 'POST', '/api/v1/nodes', nodeObject(n));
  let stopped = false;
  let lastBeat = 0;

  const beat = async (): Promise<void> => {
    for (const n of opts.nodes) {
      if (silent.has(n.name)) continue;
      const node = await must(t, 'GET', `/api/v1/nodes/${n.name}`);
      if (!node.metadata) continue;
      node.status.conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok', lastHeartbeatTime: now(), lastTransitionTime: now() }];
      await must(t, 'PUT', `/api/v1/nodes/${n.name}/status`, node);
    }
  };

  const podStatus = async (pod: Record<string, any>, phase: string, exitCode?: number): Promise<void> => {
    const ts = now();
    const ready = phase === 'Running' && (opts.ready?.(pod) ?? true) ? 'True' : 'False';
    const state = exitCode === undefined ? { running: { startedAt: ts } } : { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed', startedAt: ts, finishedAt: ts } };
    pod.status = {
      ...pod.status,
      phase,
      podIP: '10.244.9.9',
      startTime: pod.status?.startTime ?? ts,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: ts },
        { type: 'Initialized', status: 'True', lastTransitionTime: ts },
        { type: 'Ready', status: ready, lastTransitionTime: ts },
        { type: 'ContainersReady', status: ready, lastTransitionTime: ts },
      ],
      containerStatuses: (pod.spec.containers ?? []).map((c: { name: string; image: string }) => ({
        name: c.name, image: c.image, imageID: '', ready: ready === 'True', restartCount: 0, started: exitCode === undefined, state,
      })),
    };
    await must(t, 'PUT', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, pod);
  };

  const step = async (): Promise<void> => {
    if (Date.now() - lastBeat > 1000) {
      lastBeat = Date.now();
      await beat();
    }
    const list = await must(t, 'GET', '/api/v1/pods');
    for (const pod of list.items ?? []) {
      const node = pod.spec?.nodeName;
      if (!node || !seen.has(node) || silent.has(node)) continue;
      seen.get(node)!.add(pod.metadata.name);
      if (pod.metadata.deletionTimestamp) {
        await must(t, 'DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
        continue;
      }
      const phase = pod.status?.phase;
      const isReady = (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
      if (phase === 'Pending') await podStatus(pod, 'Running');
      else if (phase === 'Running' && !isReady && (opts.ready?.(pod) ?? true)) await podStatus(pod, 'Running');
      else if (phase === 'Running') {
        const o = opts.outcome?.(pod) ?? 'run';
        if (o !== 'run') await podStatus(pod, o === 0 ? 'Succeeded' : 'Failed', o);
      }
    }
  };

  const loop = (async () => {
    while (!stopped) {
      await step().catch(() => undefined);
      await new Promise((r) => setTimeout(r, opts.everyMs ?? 200));
    }
  })();

  return {
    seen,
    silence: (n) => void silent.add(n),
    async addNode(n) {
      await must(t, 'POST', '/api/v1/nodes', nodeObject(n));
      opts.nodes.push(n);
      seen.set(n.name, new Set<string>());
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
