// One probe worker per (pod, container instance, probe type): waits out initialDelaySeconds, runs the
// handler every periodSeconds (bounded by timeoutSeconds), walks the thresholds and publishes the
// result into its type's cache. It is replaced when the container is, and stopped when it is gone.
import type { Clock, TimerHandle } from '../../lib/clock.js';
import type { ProbeResult } from '../podworker/pod-actions-types.js';
import type { ProbeOutcome, ProbeRunner, ProbeTarget } from './handlers/index.js';
import { applyResult, firstProbeDelay, initialState, probeGate, probeSettings, type ProbeSettings, type ProbeType, type ThresholdState } from './probe-rules.js';

export interface WorkerKey {
  podUid: string;
  container: string;
  kind: 'init' | 'app';
  type: ProbeType;
}

/** What a worker needs from its manager. */
export interface WorkerHost {
  clock: Clock;
  run: ProbeRunner;
  publish(key: WorkerKey, containerId: string, result: ProbeResult, quiet: boolean): void;
  /** has this container instance's startupProbe succeeded (true without a startupProbe)? */
  startupDone(key: WorkerKey, containerId: string): boolean;
  /** a failed (or warning) probe: the Unhealthy / ProbeWarning event */
  unhealthy(key: WorkerKey, outcome: ProbeOutcome): void;
  /** every completed probe (benchmarks, debug logs) */
  observed?(key: WorkerKey, ms: number, outcome: ProbeOutcome): void;
}

export class ProbeWorker {
  readonly settings: ProbeSettings;
  private state: ThresholdState;
  private timer?: TimerHandle;
  private readonly abort = new AbortController();
  private stopped = false;
  private inFlight = false;

  constructor(
    private readonly host: WorkerHost,
    readonly key: WorkerKey,
    private readonly probe: any,
    readonly target: ProbeTarget,
    private readonly startedAtMs: number,
  ) {
    this.settings = probeSettings(probe);
    this.state = initialState(key.type);
  }

  get containerId(): string {
    return this.target.containerId;
  }

  start(): void {
    this.host.publish(this.key, this.containerId, this.state.result, true);
    this.schedule(firstProbeDelay(this.settings, this.startedAtMs, this.host.clock.now()));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.host.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort(new Error('probe worker stopped'));
  }

  /** probe soon (the startup probe just succeeded: liveness and readiness may begin) */
  wake(): void {
    if (!this.stopped && !this.inFlight) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) this.host.clock.clearTimeout(this.timer);
    this.timer = this.host.clock.setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, ms);
  }

  /** Steps: (1) gates, (2) one handler run, (3) thresholds → cache, (4) next period. */
  async tick(): Promise<void> {
    if (this.stopped || this.inFlight) return;
    const now = this.host.clock.now();
    // 1. on hold and a finished startup probe stop for good; the others wait
    const gate = probeGate(this.key.type, this.settings, this.state, this.startedAtMs, now, this.host.startupDone(this.key, this.containerId));
    if (gate === 'on-hold' || gate === 'done') return;
    if (gate === 'wait-startup') return this.schedule(this.settings.periodMs);
    if (gate === 'wait-initial-delay') return this.schedule(firstProbeDelay(this.settings, this.startedAtMs, now));
    // 2. the handler
    this.inFlight = true;
    let outcome: ProbeOutcome;
    try {
      outcome = await this.host.run(this.probe, this.target, this.settings.timeoutMs, this.abort.signal);
    } catch (e) {
      outcome = { result: 'failure', output: e instanceof Error ? e.message : String(e) };
    } finally {
      this.inFlight = false;
    }
    if (this.stopped) return;
    const ms = this.host.clock.now() - now;
    this.host.observed?.(this.key, ms, outcome);
    if (outcome.result !== 'success') this.host.unhealthy(this.key, outcome);
    // 3. thresholds
    this.state = applyResult(this.state, outcome.result, this.settings, this.key.type);
    this.host.publish(this.key, this.containerId, this.state.result, false);
    // 4. the period counts from the start of this probe, as the kubelet's ticker does
    this.schedule(Math.max(0, this.settings.periodMs - ms));
  }
}
