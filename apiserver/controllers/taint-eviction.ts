// NoExecute taint eviction (Kubernetes' taint-eviction-controller): a pod on a node with a NoExecute
// taint it does not tolerate is deleted at once; one it tolerates for tolerationSeconds is deleted
// that long after the taint was added. Pods without their own toleration of the not-ready /
// unreachable taints get the apiserver's defaults (--default-not-ready-toleration-seconds,
// --default-unreachable-toleration-seconds: 300 s), as the DefaultTolerationSeconds admission adds.
import { resourceFor } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { isConflict, isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE, tolerates, type Taint, type Toleration } from '../scheduler/filters.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { eventSink } from './controller-events.js';
import { isActivePod, PODS } from './owned-pods.js';
import { runController, type ControllerHandle } from './run-controller.js';

const NODES = resourceFor('', 'nodes')!;
export const TAINT_EVICTION_USER: UserInfo = { name: 'system:serviceaccount:kube-system:node-controller', groups: ['system:masters'] };
const write = { user: TAINT_EVICTION_USER, fieldManager: 'taint-eviction-controller' };

export interface DefaultTolerations {
  notReadySeconds: number;
  unreachableSeconds: number;
}

interface TimedTaint extends Taint {
  timeAdded?: string;
}

/** The pod's tolerations plus the defaults for the readiness taints it does not tolerate itself. */
export function effectiveTolerations(pod: KubeObject, d: DefaultTolerations): Toleration[] {
  const own: Toleration[] = pod.spec?.tolerations ?? [];
  const out = [...own];
  for (const [key, seconds] of [[TAINT_NOT_READY, d.notReadySeconds], [TAINT_UNREACHABLE, d.unreachableSeconds]] as const) {
    if (!own.some((t) => tolerates(t, { key, effect: 'NoExecute' }))) out.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  }
  return out;
}

/**
 * When this pod must go (ms since epoch; <= now means now), or undefined when it may stay.
 * Each NoExecute taint needs a toleration; the shortest tolerationSeconds among the matching ones wins.
 */
export function evictionTime(pod: KubeObject, taints: TimedTaint[], nowMs: number, d: DefaultTolerations): number | undefined {
  const tolerations = effectiveTolerations(pod, d);
  let at: number | undefined;
  for (const taint of taints.filter((t) => t.effect === 'NoExecute')) {
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return nowMs;
    const secs = matching.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === 'number');
    if (secs.length === 0) continue; // tolerated forever
    const added = Date.parse(taint.timeAdded ?? '') || nowMs;
    const t = added + Math.max(0, Math.min(...secs)) * 1000;
    at = at === undefined ? t : Math.min(at, t);
  }
  return at;
}

export function planTaintEviction(node: KubeObject, pods: KubeObject[], nowMs: number, d: DefaultTolerations): { evict: KubeObject[]; nextAtMs?: number } {
  const taints: TimedTaint[] = node.spec?.taints ?? [];
  const out: { evict: KubeObject[]; nextAtMs?: number } = { evict: [] };
  if (!taints.some((t) => t.effect === 'NoExecute')) return out;
  for (const pod of pods.filter(isActivePod)) {
    const at = evictionTime(pod, taints, nowMs, d);
    if (at === undefined) continue;
    if (at <= nowMs) out.evict.push(pod);
    else out.nextAtMs = Math.min(out.nextAtMs ?? Infinity, at);
  }
  return out;
}

export function startTaintEvictionController(
  registry: Registry,
  opts: {
    defaults: DefaultTolerations;
    /**
     * nothing is evicted this long after start (the node monitor grace period): taints stored before
     * a restart may be stale, and the node lifecycle controller needs that long to clear them
     */
    startupDelayMs?: number;
    signal: AbortSignal;
    log: Logger;
    clock?: Clock;
  },
): ControllerHandle {
  const clock = opts.clock ?? realClock;
  const startedAt = clock.now();
  const events = eventSink(registry, 'taint-eviction-controller', TAINT_EVICTION_USER, opts.log);
  const handle: ControllerHandle = runController({
    name: 'taint-eviction',
    registry,
    signal: opts.signal,
    log: opts.log,
    clock,
    resyncMs: 30_000,
    watches: [
      { ri: NODES, keyOf: (n) => ((n.spec?.taints ?? []).some((t: Taint) => t.effect === 'NoExecute') ? n.metadata.name : undefined) },
      { ri: PODS, keyOf: (p, type) => (type !== 'DELETED' && p.spec?.nodeName ? p.spec.nodeName : undefined) },
    ],
    sync: async (nodeName) => {
      // 1. Nothing destructive before every watch listed once and the startup delay passed.
      const wait = startedAt + (opts.startupDelayMs ?? 0) - clock.now();
      if (!handle.hasSynced() || wait > 0) return handle.enqueueAfter(nodeName, Math.max(wait, 500));
      let node: KubeObject;
      try {
        node = await registry.get(NODES, undefined, nodeName);
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      if (!(node.spec?.taints ?? []).some((t: Taint) => t.effect === 'NoExecute')) return;
      // 2. Plan over the node's pods; 3. delete what is due, look again when the next one is.
      const pods = (await registry.list(PODS, undefined, { fieldSelector: `spec.nodeName=${nodeName}` })).items;
      const now = clock.now();
      const plan = planTaintEviction(node, pods, now, opts.defaults);
      for (const pod of plan.evict) {
        opts.log.warn({ node: nodeName, pod: `${pod.metadata.namespace}/${pod.metadata.name}` }, 'evicting pod from NoExecute-tainted node');
        await registry.delete(PODS, pod.metadata.namespace, pod.metadata.name!, { ...write, preconditions: { uid: pod.metadata.uid } }).catch((e) => {
          // gone, or a new pod of the same name: nothing of ours left to evict
          if (!isNotFound(e) && !isConflict(e)) throw e;
        });
        events(pod, PODS, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
      }
      if (plan.nextAtMs !== undefined) handle.enqueueAfter(nodeName, plan.nextAtMs - now);
    },
  });
  return handle;
}
