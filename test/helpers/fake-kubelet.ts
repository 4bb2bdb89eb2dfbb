// A stand-in for node agents in controller tests that need no Docker: registers Nodes through the
// API, keeps their Ready heartbeat fresh, marks the pods bound to them Running and Ready (when the
// test's policy says so, after a delay), and finishes graceful deletions at once.
import { request, json, type Target } from './https.js';

export interface FakeKubeletOptions {
  nodes: string[];
  /** may this pod become Ready? default: always */
  ready?: (pod: any) => boolean;
  /** ms a pod stays Running-but-not-Ready before it turns Ready; default 300 */
  readyAfterMs?: number;
  pollMs?: number;
  pods?: number;
}

export interface FakeKubelet {
  stop(): Promise<void>;
}

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export function nodeObject(name: string, pods = 110): any {
  const t = now();
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: {
      capacity: { cpu: '64', memory: '256Gi', pods: String(pods) },
      allocatable: { cpu: '64', memory: '256Gi', pods: String(pods) },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fake kubelet', lastHeartbeatTime: t, lastTransitionTime: t }],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
    },
  };
}

export async function registerNode(t: Target, name: string, pods = 110): Promise<void> {
  const r = await request(t, 'POST', '/api/v1/nodes', { body: nodeObject(name, pods) });
  if (r.status !== 201 && r.status !== 409) throw new Error(`register node ${name}: ${r.status} ${r.body}`);
}

function runningStatus(pod: any, ready: boolean): any {
  const t = now();
  const c = (type: string, s: boolean) => ({ type, status: s ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: t });
  return {
    ...pod.status,
    phase: 'Running',
    hostIP: '127.0.0.1',
    podIP: '10.244.0.10',
    startTime: pod.status?.startTime ?? t,
    conditions: [c('PodScheduled', true), c('Initialized', true), c('ContainersReady', ready), c('Ready', ready)],
    containerStatuses: (pod.spec.containers ?? []).map((k: any) => ({ name: k.name, image: k.image, imageID: '', ready, restartCount: 0, started: true, state: { running: { startedAt: t } } })),
  };
}

const isReady = (pod: any): boolean => (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

export async function startFakeKubelet(t: Target, opts: FakeKubeletOptions): Promise<FakeKubelet> {
  for (const n of opts.nodes) await registerNode(t, n, opts.pods);
  const readyAfter = opts.readyAfterMs ?? 300;
  const firstSeen = new Map<string, number>();
  let stopped = false;
  let lastBeat = Date.now();

  const putStatus = (pod: any, ready: boolean) =>
    request(t, 'PUT', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { body: { ...pod, status: runningStatus(pod, ready) } });

  const tick = async (): Promise<void> => {
    // 1: heartbeats, so the node lifecycle controller never sees a silent node
    if (Date.now() - lastBeat > 5000) {
      lastBeat = Date.now();
      for (const n of opts.nodes) {
        const node = json(await request(t, 'GET', `/api/v1/nodes/${n}`));
        if (!node.status) continue;
        node.status.conditions = node.status.conditions.map((c: any) => (c.type === 'Ready' ? { ...c, lastHeartbeatTime: now() } : c));
        await request(t, 'PUT', `/api/v1/nodes/${n}/status`, { body: node });
      }
    }
    // 2: pods on our nodes
    const list = json(await request(t, 'GET', '/api/v1/pods'));
    const mine = (list.items ?? []).filter((p: any) => opts.nodes.includes(p.spec?.nodeName));
    await Promise.all(
      mine.map(async (pod: any) => {
        const uid = pod.metadata.uid;
        if (pod.metadata.deletionTimestamp) {
          firstSeen.delete(uid);
          await request(t, 'DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, { body: { gracePeriodSeconds: 0, preconditions: { uid } } });
          return;
        }
        if (!firstSeen.has(uid)) firstSeen.set(uid, Date.now());
        const want = (opts.ready?.(pod) ?? true) && Date.now() - firstSeen.get(uid)! >= readyAfter;
        if (pod.status?.phase !== 'Running' || isReady(pod) !== want) await putStatus(pod, want);
      }),
    );
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        await tick();
      } catch {
        /* the server may be restarting or stopping; the next tick retries */
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 150));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
