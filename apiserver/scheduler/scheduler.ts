// The scheduling loop: caches nodes, unassigned pods and assigned pods (slimmed) from three
// watches, takes pending pods one at a time from a FIFO work queue, runs the pure schedule(), and
// binds through the pods/binding subresource. As in kube-scheduler, an unschedulable pod is parked
// (no timer-driven retries): it goes back to the queue when a node changes in a way that could
// help or an assigned pod goes away, or after at most podMaxInUnschedulablePodsDuration.
import { resourceFor } from '../../api/resources.js';
import { nowRfc3339, type KubeObject, type WatchEvent } from '../../api/types.js';
import { isApiError, isNotFound } from '../../lib/errors.js';
import { realClock, type Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { WorkQueue } from '../../lib/work-queue.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { EventRecorder } from './event-recorder.js';
import { schedule } from './schedule.js';
import { slimPod } from './slim-pod.js';
import { UnschedulablePods } from './unschedulable-pods.js';
import { objectKey, startCacheWatch } from './watch-cache.js';

export const SCHEDULER_NAME = 'default-scheduler';
export const SCHEDULER_USER: UserInfo = { name: 'system:kube-scheduler', groups: ['system:authenticated'] };

const PODS = resourceFor('', 'pods')!;
const NODES = resourceFor('', 'nodes')!;
/** An assumed binding that the assigned-pods watch never confirms is dropped after this long. */
const ASSUME_TTL_MS = 30_000;
/** kube-scheduler's podMaxInUnschedulablePodsDuration */
const UNSCHEDULABLE_MAX_MS = 5 * 60_000;
/** how often parked pods are checked against that limit (kube-scheduler: 30 s) */
const FLUSH_INTERVAL_MS = 30_000;
/** parked pods moved back to the queue per turn of the event loop */
const MOVE_CHUNK = 500;

/** Let I/O (HTTP requests) run between scheduling attempts: store calls settle synchronously. */
const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export interface SchedulerOptions {
  log: Logger;
  signal?: AbortSignal;
  clock?: Clock;
  /** retry backoff after a failed binding (API error); Kubernetes uses 1 s doubling to 10 s */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** an unschedulable pod is retried after this long even without a cluster event; default 5 min */
  unschedulableMaxMs?: number;
}

export interface SchedulerHandle {
  stop(): void;
  /** resolves once all three watches delivered their initial listing */
  synced: Promise<void>;
}

const responsible = (pod: KubeObject): boolean =>
  (pod.spec?.schedulerName || SCHEDULER_NAME) === SCHEDULER_NAME &&
  !pod.metadata.deletionTimestamp &&
  !pod.spec?.nodeName &&
  !(pod.spec?.schedulingGates?.length > 0);

/** The node fields a scheduling decision reads; heartbeats that change nothing else are ignored. */
const nodeShape = (n: KubeObject): string =>
  JSON.stringify([
    n.metadata.labels,
    n.spec?.taints,
    n.spec?.unschedulable,
    n.status?.allocatable ?? n.status?.capacity,
    (n.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.status,
  ]);

export function startScheduler(registry: Registry, opts: SchedulerOptions): SchedulerHandle {
  const clock = opts.clock ?? realClock;
  const log = opts.log.child ? opts.log.child({ component: 'scheduler' }) : opts.log;
  const queue = new WorkQueue<string>({ clock, backoff: { initialMs: opts.initialBackoffMs ?? 1000, maxMs: opts.maxBackoffMs ?? 10_000 } });
  const events = new EventRecorder(registry, { component: SCHEDULER_NAME, user: SCHEDULER_USER, clock });
  const nodes = new Map<string, KubeObject>();
  const pending = new Map<string, KubeObject>();
  const assigned = new Map<string, KubeObject>();
  const assumed = new Map<string, { pod: KubeObject; at: number }>();
  const unschedulable = new UnschedulablePods();
  /** bumped by every cluster event that could help parked pods (kube-scheduler's moveRequestCycle) */
  let moveSeq = 0;
  let stopped = false;

  /** Back to the queue in chunks, yielding between them, so a big pool never stalls the server. */
  const moveToActive = (keys: string[]): void => {
    let i = 0;
    const step = (): void => {
      if (stopped) return;
      for (const end = Math.min(keys.length, i + MOVE_CHUNK); i < end; i++) if (unschedulable.delete(keys[i]!)) queue.add(keys[i]!);
      if (i < keys.length) setImmediate(step);
    };
    step();
  };
  const moveAllToActive = (): void => {
    moveSeq++;
    if (unschedulable.size > 0) moveToActive(unschedulable.keys());
  };

  const onPending = (ev: WatchEvent): void => {
    const key = objectKey(ev.object);
    if (ev.type === 'DELETED' || !responsible(ev.object)) {
      pending.delete(key);
      unschedulable.delete(key);
      queue.forget(key);
      return;
    }
    const prev = pending.get(key);
    const pod = slimPod(ev.object);
    pending.set(key, pod);
    // Our own status writes come back as MODIFIED; only a spec change is worth an immediate retry.
    if (!prev || prev.metadata.uid !== pod.metadata.uid || JSON.stringify(prev.spec) !== JSON.stringify(pod.spec)) {
      unschedulable.delete(key);
      queue.add(key);
    }
  };

  const onAssigned = (ev: WatchEvent): void => {
    const key = objectKey(ev.object);
    assumed.delete(key);
    if (ev.type === 'DELETED') {
      assigned.delete(key);
      moveAllToActive(); // freed resources or ports
    } else {
      assigned.set(key, slimPod(ev.object));
    }
  };

  const onNode = (ev: WatchEvent): void => {
    const name = ev.object.metadata.name!;
    const prev = nodes.get(name);
    if (ev.type === 'DELETED') nodes.delete(name);
    else nodes.set(name, ev.object);
    if (ev.type === 'ADDED' || (ev.type === 'MODIFIED' && (!prev || nodeShape(prev) !== nodeShape(ev.object)))) moveAllToActive();
  };

  const podsByNode = (): Record<string, KubeObject[]> => {
    const out: Record<string, KubeObject[]> = {};
    const now = clock.now();
    const put = (p: KubeObject): void => void (out[p.spec.nodeName] ??= []).push(p);
    for (const p of assigned.values()) put(p);
    for (const [k, a] of assumed) {
      if (now - a.at > ASSUME_TTL_MS) assumed.delete(k);
      else if (!assigned.has(k)) put(a.pod);
    }
    return out;
  };

  const scheduleOne = async (key: string): Promise<void> => {
    const pod = pending.get(key);
    if (!pod || !responsible(pod) || assumed.has(key)) return queue.forget(key);
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    const seq = moveSeq;
    // 1: decide.
    const result = schedule(pod, [...nodes.values()], podsByNode());
    if ('node' in result) {
      // 2a: assume the placement so the next pod sees its resources, then bind.
      assumed.set(key, { pod: { ...pod, spec: { ...pod.spec, nodeName: result.node } }, at: clock.now() });
      try {
        await registry.create(
          PODS,
          ns,
          { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: result.node } },
          { user: SCHEDULER_USER, subresource: 'binding', fieldManager: SCHEDULER_NAME },
        );
      } catch (err) {
        assumed.delete(key);
        // Gone or already bound elsewhere: nothing left to do for this pod.
        if (isNotFound(err) || (isApiError(err) && err.reason === 'Conflict')) {
          log.info({ pod: key, reason: (err as Error).message }, 'binding skipped');
          return queue.forget(key);
        }
        log.warn({ err, pod: key, node: result.node }, 'binding failed');
        queue.addRateLimited(key);
        return;
      }
      queue.forget(key);
      pending.delete(key);
      log.info({ pod: key, node: result.node }, 'pod scheduled');
      await events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${result.node}`).catch((err) =>
        log.warn({ err, pod: key }, 'event write failed'),
      );
      return;
    }
    // 2b: unschedulable — park until a cluster event could help (one that arrived during this
    //     attempt means retry now), and say why on the pod (only when it changed) and in an Event.
    log.info({ pod: key, message: result.message }, 'pod unschedulable');
    queue.forget(key);
    if (moveSeq !== seq) queue.add(key);
    else unschedulable.park(key, clock.now());
    if (!saysUnschedulable(pod, result.message)) {
      try {
        await setUnschedulable(registry, ns, name, result.message, clock);
      } catch (err) {
        if (isNotFound(err)) return;
        log.warn({ err, pod: key }, 'pod status update failed');
      }
    }
    await events.record(pod, 'Warning', 'FailedScheduling', result.message).catch((err) => log.warn({ err, pod: key }, 'event write failed'));
  };

  // One worker: decisions are sequential so each sees the previous one's assumed placement.
  const worker = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await scheduleOne(key);
      } catch (err) {
        log.error({ err, pod: key }, 'scheduling attempt failed');
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
      await yieldToLoop();
    }
  };

  // Parked pods go back after unschedulableMaxMs even when no event helped them.
  const maxParkMs = opts.unschedulableMaxMs ?? UNSCHEDULABLE_MAX_MS;
  let flushTimer: ReturnType<Clock['setTimeout']> | undefined;
  const flushLeftover = (): void => {
    if (stopped) return;
    const keys = unschedulable.parkedSince(clock.now() - maxParkMs);
    if (keys.length > 0) moveToActive(keys);
    flushTimer = clock.setTimeout(flushLeftover, Math.min(FLUSH_INTERVAL_MS, maxParkMs));
    unrefTimer(flushTimer);
  };

  const watches: { stop(): void }[] = [];
  const common = { registry, clock, log };
  const synced = Promise.all([
    startCacheWatch({ ...common, ri: NODES, onEvent: onNode, onReset: () => nodes.clear() }),
    startCacheWatch({ ...common, ri: PODS, fieldSelector: 'spec.nodeName!=', onEvent: onAssigned, onReset: () => assigned.clear() }),
    startCacheWatch({ ...common, ri: PODS, fieldSelector: 'spec.nodeName=', onEvent: onPending, onReset: () => pending.clear() }),
  ]).then((ws) => {
    watches.push(...ws);
    if (stopped) for (const w of ws) w.stop();
    else {
      void worker();
      flushLeftover();
    }
  });

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (flushTimer !== undefined) clock.clearTimeout(flushTimer);
    for (const w of watches) w.stop();
    queue.shutdown();
  };
  if (opts.signal?.aborted) stop();
  else opts.signal?.addEventListener('abort', stop, { once: true });
  return { stop, synced };
}

const unrefTimer = (h: unknown): void => {
  if (typeof h === 'object' && h !== null && 'unref' in h && typeof h.unref === 'function') h.unref();
};

/** True when the (cached) pod already carries PodScheduled=False/Unschedulable with this message. */
function saysUnschedulable(pod: KubeObject, message: string): boolean {
  const cond = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
  return cond?.status === 'False' && cond.reason === 'Unschedulable' && cond.message === message;
}

/** PodScheduled=False/Unschedulable with the message; no write when it already says so. */
export async function setUnschedulable(registry: Registry, ns: string, name: string, message: string, clock: Clock = realClock): Promise<void> {
  if (saysUnschedulable(await registry.get(PODS, ns, name), message)) return;
  await registry.guaranteedUpdate(
    PODS,
    ns,
    name,
    (pod) => {
      if (!pod || pod.spec?.nodeName) return pod!;
      const conds = (pod.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'PodScheduled');
      const old = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
      conds.push({
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : nowRfc3339(new Date(clock.now())),
        reason: 'Unschedulable',
        message,
      });
      pod.status = { ...(pod.status ?? {}), phase: pod.status?.phase ?? 'Pending', conditions: conds };
      return pod;
    },
    { user: SCHEDULER_USER, subresource: 'status', fieldManager: SCHEDULER_NAME },
  );
}
