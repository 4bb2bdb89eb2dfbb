// The prober: keeps exactly one worker per (pod, running container instance, probe type), three
// result caches (liveness, readiness, startup) that the planner and the status generator read, and
// nudges the pod worker whenever a published result changes, so a status follows within a period.
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { EventRecorder } from '../podworker/deps.js';
import { instancesOf, isSidecar, observe, readySandbox } from '../podworker/instances.js';
import type { ProbeResult } from '../podworker/pod-actions-types.js';
import { fieldPath, type ProbeView } from '../podworker/sync-types.js';
import type { Runtime, RuntimePod } from '../runtime/runtime.js';
import { runProbeWith, type ProbeOutcome, type ProbeRunner } from './handlers/index.js';
import { unhealthyMessage, type ProbeType } from './probe-rules.js';
import { ProbeWorker, type WorkerHost, type WorkerKey } from './probe-worker.js';
import { ResultsCache } from './results-cache.js';

const TYPES: ProbeType[] = ['startup', 'liveness', 'readiness'];

export interface ProberOptions {
  runtime: Pick<Runtime, 'exec'>;
  events: EventRecorder;
  /** a published result changed: sync this pod (and so send its status) now */
  nudge(podUid: string): void;
  log: Logger;
  /** the pod IP of hostNetwork pods */
  nodeIp?: string;
  clock?: Clock;
  /** handler runner; default: the real handlers (tests inject fakes) */
  run?: ProbeRunner;
  observed?: WorkerHost['observed'];
}

const workerKey = (k: WorkerKey): string => `${k.podUid}/${k.kind}/${k.container}/${k.type}`;

export class ProberManager implements ProbeView {
  private readonly workers = new Map<string, ProbeWorker>();
  private readonly pods = new Map<string, KubeObject>();
  private readonly caches: Record<ProbeType, ResultsCache>;
  private readonly host: WorkerHost;

  constructor(private readonly opts: ProberOptions) {
    const changed = (type: ProbeType) => (uid: string, container: string, result: ProbeResult) => {
      opts.log.debug({ pod: this.podName(uid), uid, container, probe: type, result }, 'probe result changed');
      if (type === 'startup' && result === 'success') for (const w of this.workersOf(uid)) if (w.key.container === container) w.wake();
      opts.nudge(uid);
    };
    this.caches = { liveness: new ResultsCache(changed('liveness')), readiness: new ResultsCache(changed('readiness')), startup: new ResultsCache(changed('startup')) };
    this.host = {
      clock: opts.clock ?? realClock,
      run: opts.run ?? runProbeWith(opts.runtime),
      // a new instance's initial value is no change worth a sync
      publish: (k, id, result, quiet) => (quiet ? this.caches[k.type].setQuiet(k.podUid, k.container, id, result) : this.caches[k.type].set(k.podUid, k.container, id, result)),
      startupDone: (k, id) => {
        const spec = this.containerSpec(k);
        if (!spec?.startupProbe) return true;
        const r = this.caches.startup.get(k.podUid, k.container);
        return r?.containerId === id && r.result === 'success';
      },
      unhealthy: (k, o) => this.unhealthy(k, o),
      observed: opts.observed,
    };
  }

  private podName(uid: string): string {
    const m = this.pods.get(uid)?.metadata;
    return m ? `${m.namespace}/${m.name}` : uid;
  }

  private containerSpec(k: WorkerKey): any {
    const spec = this.pods.get(k.podUid)?.spec;
    return ((k.kind === 'init' ? spec?.initContainers : spec?.containers) ?? []).find((c: any) => c?.name === k.container);
  }

  private *workersOf(uid: string): Iterable<ProbeWorker> {
    for (const w of this.workers.values()) if (w.key.podUid === uid) yield w;
  }

  private unhealthy(k: WorkerKey, o: ProbeOutcome): void {
    const pod = this.pods.get(k.podUid);
    if (!pod) return;
    const warning = o.result === 'warning';
    this.opts.events.event(pod, 'Warning', warning ? 'ProbeWarning' : 'Unhealthy', unhealthyMessage(k.type, o.result, o.output), fieldPath(k.kind, k.container));
    this.opts.log.debug({ pod: this.podName(k.podUid), uid: k.podUid, container: k.container, probe: k.type, result: o.result }, 'probe failed');
  }

  /**
   * Level-triggered: after every look at the pod's runtime state, the workers match the running
   * instances. Steps: (1) wanted workers for running containers with probes, (2) start or replace
   * (new container id), (3) stop the rest and drop their results.
   */
  sync(pod: KubeObject, rp: RuntimePod | undefined): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    this.pods.set(uid, pod);
    const wanted = new Set<string>();
    const sandbox = readySandbox(pod, rp);
    const podIp = pod.spec?.hostNetwork ? (this.opts.nodeIp ?? '127.0.0.1') : sandbox?.ip;
    if (!pod.metadata.deletionTimestamp && sandbox && podIp) {
      const specs: { c: any; kind: 'init' | 'app' }[] = [
        ...(pod.spec?.initContainers ?? []).filter(isSidecar).map((c: any) => ({ c, kind: 'init' as const })),
        ...(pod.spec?.containers ?? []).map((c: any) => ({ c, kind: 'app' as const })),
      ];
      for (const { c, kind } of specs) {
        const latest = instancesOf(rp, c.name, kind)[0];
        if (!latest || observe(latest).state !== 'running') continue;
        for (const type of TYPES) {
          const probe = c[`${type}Probe`];
          if (!probe) continue;
          const key: WorkerKey = { podUid: uid, container: c.name, kind, type };
          const id = workerKey(key);
          wanted.add(id);
          const old = this.workers.get(id);
          if (old && old.containerId === latest.id) continue;
          old?.stop();
          const w = new ProbeWorker(this.host, key, probe, { podIp, containerId: latest.id, container: c }, observe(latest).startedAt ?? this.host.clock.now());
          this.workers.set(id, w);
          w.start();
        }
      }
    }
    for (const [id, w] of this.workers) {
      if (w.key.podUid !== uid || wanted.has(id)) continue;
      w.stop();
      this.workers.delete(id);
      this.caches[w.key.type].remove(uid, w.key.container);
    }
  }

  /** The pod is terminating or gone: no more probes, no more results. */
  removePod(uid: string): void {
    for (const [id, w] of this.workers) {
      if (w.key.podUid !== uid) continue;
      w.stop();
      this.workers.delete(id);
    }
    for (const c of Object.values(this.caches)) c.removePod(uid);
    this.pods.delete(uid);
  }

  stop(): void {
    for (const w of this.workers.values()) w.stop();
    this.workers.clear();
  }

  workerCount(): number {
    return this.workers.size;
  }

  liveness(uid: string): ReadonlyMap<string, ProbeResult> {
    return this.caches.liveness.byPod(uid);
  }

  startup(uid: string): ReadonlyMap<string, ProbeResult> {
    return this.caches.startup.byPod(uid);
  }

  readiness(uid: string): ReadonlyMap<string, boolean> {
    return new Map([...this.caches.readiness.byPod(uid)].map(([k, v]) => [k, v === 'success']));
  }
}
