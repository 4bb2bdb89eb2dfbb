// One serialized worker per pod UID. Updates only replace the desired pod (latest wins) and mark
// the worker dirty; a running sync finishes first, then exactly one more sync sees the newest pod.
// A requested termination is sticky: later updates never turn it back into a sync. Nothing throws
// out of a worker: failures are logged, become status reasons/events, and are retried.
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock, type TimerHandle } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { RuntimePod } from '../runtime/runtime.js';
import { generatePodStatus } from '../status/generate-status.js';
import type { StatusSink } from './deps.js';
import { deletionGraceSeconds, readySandbox, runningContainers } from './instances.js';
import { planningView } from './planning-view.js';
import { isOwnStatusEcho } from './status-echo.js';
import { syncPod } from './sync-pod.js';
import { errorMessage, type SyncDeps, type SyncResult } from './sync-types.js';
import { podFromRuntime, terminatePod } from './terminate-pod.js';
import { collectTerminationMessages } from './termination-message.js';

/** grace for containers of pods the agent knows nothing about (kubelet's minimum) */
const ORPHAN_GRACE_SEC = 2;
const RETRY_MS = 5_000;

export interface PodWorkersOptions {
  deps: SyncDeps;
  status: StatusSink;
  /** "synced" gate: true once the first full snapshot arrived; nothing unknown is killed before */
  isSynced(): boolean;
  /** one pod's runtime state (a PLEG cache may serve it); default: listPods filtered */
  getRuntimePod?(uid: string, signal?: AbortSignal): Promise<RuntimePod | undefined>;
  clock?: Clock;
  /** periodic resync of every worker; default 10 s */
  resyncMs?: number;
  /** probe workers follow every look at a pod's runtime state (agent/prober) */
  prober?: PodProber;
}

export interface PodProber {
  sync(pod: KubeObject, rp: RuntimePod | undefined): void;
  removePod(uid: string): void;
}

interface Worker {
  uid: string;
  pod?: KubeObject;
  /** last generated status, overlaid on the pod for planning (the apiserver copy may lag) */
  status?: Record<string, any>;
  terminate?: { graceSeconds: number; removed: boolean };
  terminated: boolean;
  dirty: boolean;
  active: boolean;
  done?: Promise<void>;
  abort?: AbortController;
  timer?: TimerHandle;
  messages: Map<string, string>;
  log: Logger;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  /** uids terminated and forgotten whose exited containers may still be listed (until GC) */
  private readonly cleaned = new Set<string>();
  private readonly clock: Clock;
  private readonly resyncMs: number;
  private stopped = false;

  constructor(private readonly opts: PodWorkersOptions) {
    this.clock = opts.clock ?? realClock;
    this.resyncMs = opts.resyncMs ?? 10_000;
  }

  private worker(uid: string, pod?: KubeObject): Worker {
    let w = this.workers.get(uid);
    if (!w) {
      const name = pod ? `${pod.metadata.namespace}/${pod.metadata.name}` : uid;
      w = { uid, terminated: false, dirty: false, active: false, messages: new Map(), log: this.opts.deps.log.child({ pod: name, uid }) };
      this.workers.set(uid, w);
    }
    return w;
  }

  /** New desired state of a pod (from the apiserver). */
  update(pod: KubeObject): void {
    const uid = pod.metadata.uid;
    if (!uid || this.stopped) return;
    const w = this.worker(uid, pod);
    if (w.terminated) return;
    const prev = w.pod;
    w.pod = pod;
    if (pod.metadata.deletionTimestamp) this.requestTermination(w, deletionGraceSeconds(pod), false);
    else if (prev && !w.terminate && isOwnStatusEcho(prev, pod, w.status)) return;
    this.kick(w);
  }

  /** The pod is gone from the desired state: terminate it and forget the worker afterwards. */
  remove(uid: string, pod?: KubeObject): void {
    if (this.stopped) return;
    const w = this.worker(uid, pod);
    if (pod) w.pod = pod;
    const grace = w.pod ? deletionGraceSeconds(w.pod) : ORPHAN_GRACE_SEC;
    if (w.terminated) {
      this.forget(w);
      return;
    }
    this.requestTermination(w, grace, true);
    this.kick(w);
  }

  /** Something changed in the runtime for this pod (Docker event): sync now. */
  nudge(uid: string): void {
    const w = this.workers.get(uid);
    if (w && !w.terminated) this.kick(w);
  }

  /**
   * A full snapshot of the node's pods. Workers and runtime pods missing from it are terminated,
   * but only once the synced gate is open.
   */
  async syncAll(pods: KubeObject[]): Promise<void> {
    const desired = new Set<string>();
    for (const p of pods) {
      if (p.metadata.uid) desired.add(p.metadata.uid);
      this.update(p);
    }
    if (!this.opts.isSynced()) return;
    for (const w of [...this.workers.values()]) if (!desired.has(w.uid) && !w.terminate) this.remove(w.uid);
    let runtimePods: RuntimePod[] = [];
    try {
      runtimePods = await this.opts.deps.runtime.listPods();
    } catch (e) {
      this.opts.deps.log.warn({ err: errorMessage(e) }, 'relist failed');
    }
    const listed = new Set(runtimePods.map((rp) => rp.uid));
    for (const uid of this.cleaned) if (!listed.has(uid)) this.cleaned.delete(uid);
    for (const rp of runtimePods) {
      if (desired.has(rp.uid) || this.workers.has(rp.uid)) continue;
      const live = runningContainers(rp).length > 0 || rp.sandboxes.some((s) => s.state === 'running');
      if (live || !this.cleaned.has(rp.uid)) this.remove(rp.uid);
    }
  }

  /** Resolves when every worker is idle (tests, shutdown). */
  async whenIdle(): Promise<void> {
    for (;;) {
      const busy = [...this.workers.values()].filter((w) => w.active).map((w) => w.done);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  has(uid: string): boolean {
    return this.workers.has(uid);
  }

  lastStatus(uid: string): Record<string, any> | undefined {
    return this.workers.get(uid)?.status;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.workers.values()) {
      if (w.timer) this.clock.clearTimeout(w.timer);
      w.dirty = false;
      w.abort?.abort(new Error('pod workers stopped'));
    }
    await this.whenIdle();
  }

  private requestTermination(w: Worker, graceSeconds: number, removed: boolean): void {
    const prev = w.terminate;
    // grace can only shrink (kubectl delete --grace-period=0 --force after a graceful delete)
    w.terminate = { graceSeconds: prev ? Math.min(prev.graceSeconds, graceSeconds) : graceSeconds, removed: removed || !!prev?.removed };
    // a sync in flight gives way to the termination; a termination in flight with a longer grace is
    // restarted with the shorter one (as the kubelet does), its stop calls are then re-sent
    if (!prev) w.abort?.abort(new Error('pod terminating'));
    else if (graceSeconds < prev.graceSeconds) w.abort?.abort(new Error('termination grace shortened'));
  }

  private forget(w: Worker): void {
    if (w.timer) this.clock.clearTimeout(w.timer);
    if (w.terminated) this.cleaned.add(w.uid);
    this.workers.delete(w.uid);
  }

  private kick(w: Worker): void {
    w.dirty = true;
    if (w.active || this.stopped) return;
    w.active = true;
    w.done = this.loop(w);
  }

  private async loop(w: Worker): Promise<void> {
    while (w.dirty && !this.stopped && !w.terminated) {
      w.dirty = false;
      if (w.timer) this.clock.clearTimeout(w.timer);
      w.timer = undefined;
      const ac = new AbortController();
      w.abort = ac;
      try {
        if (w.terminate) await this.terminateOnce(w, ac.signal);
        else await this.syncOnce(w, ac.signal);
      } catch (e) {
        if (!ac.signal.aborted) {
          w.log.warn({ err: errorMessage(e) }, w.terminate ? 'pod termination failed' : 'pod sync failed');
          this.schedule(w, RETRY_MS);
        }
      } finally {
        w.abort = undefined;
      }
    }
    // no await between the last dirty check and this: a kick cannot be lost
    w.dirty = false;
    w.active = false;
    if (w.terminated && w.terminate?.removed) this.forget(w);
  }

  private runtimePod(uid: string, signal?: AbortSignal): Promise<RuntimePod | undefined> {
    if (this.opts.getRuntimePod) return this.opts.getRuntimePod(uid, signal);
    return this.opts.deps.runtime.listPods(signal).then((pods) => pods.find((p) => p.uid === uid));
  }

  private async publish(w: Worker, pod: KubeObject, rp: RuntimePod | undefined, result: Partial<SyncResult>, podIsTerminal: boolean): Promise<void> {
    const { deps } = this.opts;
    await collectTerminationMessages(deps.runtime, pod, rp, w.messages);
    const startup = deps.probes?.startup(w.uid);
    const status = generatePodStatus(pod, rp, {
      now: deps.now(),
      probeReady: deps.probes?.readiness(w.uid),
      startupDone: startup ? new Map([...startup].map(([k, v]) => [k, v === 'success'])) : undefined,
      waitingReasons: result.waitingReasons,
      terminationMessages: w.messages,
      hostIP: deps.node.nodeIp,
      podIP: result.podIP ?? readySandbox(pod, rp)?.ip,
      failure: result.failure,
      podIsTerminal,
    });
    w.status = status;
    this.opts.status.setPodStatus(pod, status);
  }

  private async syncOnce(w: Worker, signal: AbortSignal): Promise<void> {
    if (!w.pod) return;
    const pod = planningView(w.pod!, w.status);
    const rp = await this.runtimePod(w.uid, signal);
    // results of replaced container instances are dropped before the planner reads them
    this.opts.prober?.sync(pod, rp);
    const result = await syncPod(pod, rp, this.opts.deps, signal);
    const after = await this.runtimePod(w.uid, signal);
    this.opts.prober?.sync(pod, after);
    await this.publish(w, pod, after, result, false);
    const now = this.opts.deps.now();
    const next = Math.min(result.retryAt ?? Infinity, now + this.resyncMs);
    this.schedule(w, Math.max(0, next - now));
  }

  private async terminateOnce(w: Worker, signal: AbortSignal): Promise<void> {
    const t = w.terminate!;
    // a terminating pod is neither probed nor restarted for a failed probe
    this.opts.prober?.removePod(w.uid);
    const rp = await this.runtimePod(w.uid, signal);
    const pod = w.pod ?? (rp ? podFromRuntime(rp) : undefined);
    if (!pod) {
      w.terminated = true;
      return;
    }
    const report = !!w.pod && !t.removed;
    w.log.info({ grace: t.graceSeconds }, 'terminating pod');
    await terminatePod(pod, rp, t.graceSeconds, this.opts.deps, report ? this.opts.status : undefined, signal, async () => {
      if (report) await this.publish(w, planningView(w.pod!, w.status), await this.runtimePod(w.uid), {}, true);
    });
    w.terminated = true;
  }

  private schedule(w: Worker, ms: number): void {
    if (this.stopped) return;
    if (w.timer) this.clock.clearTimeout(w.timer);
    w.timer = this.clock.setTimeout(() => {
      w.timer = undefined;
      if (!w.terminated) this.kick(w);
    }, ms);
  }
}
