// The kubelet's probe rules as pure functions: defaults, initial results, the threshold walk of
// worker.doProbe (consecutive results, on-hold after a liveness/startup failure), and the gates that
// decide whether a probe runs at all (initialDelaySeconds, a startupProbe not yet succeeded).
import type { ProbeResult } from '../podworker/pod-actions-types.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';
/** what one handler run says; a warning (e.g. a redirect to another host) counts as success */
export type RawResult = 'success' | 'failure' | 'warning';

export interface ProbeSettings {
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

const positive = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : dflt);

/** Kubernetes defaults (SetDefaults_Probe): a 0 or absent value takes the default. */
export function probeSettings(p: any): ProbeSettings {
  const delay = p?.initialDelaySeconds;
  return {
    initialDelayMs: typeof delay === 'number' && delay > 0 ? delay * 1000 : 0,
    periodMs: positive(p?.periodSeconds, 10) * 1000,
    timeoutMs: positive(p?.timeoutSeconds, 1) * 1000,
    successThreshold: positive(p?.successThreshold, 1),
    failureThreshold: positive(p?.failureThreshold, 3),
  };
}

/** kubelet: a new container is live until proven otherwise, not ready until proven, not yet started. */
export function initialResult(type: ProbeType): ProbeResult {
  return type === 'liveness' ? 'success' : type === 'readiness' ? 'failure' : 'unknown';
}

export interface ThresholdState {
  /** the published result */
  result: ProbeResult;
  /** the last raw result and how many times in a row it came */
  last?: 'success' | 'failure';
  run: number;
  /** liveness/startup after a failure: no more probing until the container is replaced */
  onHold: boolean;
}

export const initialState = (type: ProbeType): ThresholdState => ({ result: initialResult(type), run: 0, onHold: false });

/** One probe result through the thresholds (kubelet worker.doProbe). Returns the new state. */
export function applyResult(state: ThresholdState, raw: RawResult, s: ProbeSettings, type: ProbeType): ThresholdState {
  const r = raw === 'failure' ? 'failure' : 'success';
  const run = state.last === r ? state.run + 1 : 1;
  const next: ThresholdState = { ...state, last: r, run };
  if ((r === 'failure' && run < s.failureThreshold) || (r === 'success' && run < s.successThreshold)) return next;
  next.result = r;
  if (r === 'failure' && type !== 'readiness') {
    next.onHold = true;
    next.run = 0;
  }
  return next;
}

export type Gate = 'run' | 'wait-initial-delay' | 'wait-startup' | 'done' | 'on-hold';

/**
 * Should a probe run now? startedAtMs is when the container started; startupDone whether its
 * startupProbe has succeeded (true when it has none).
 */
export function probeGate(type: ProbeType, s: ProbeSettings, state: ThresholdState, startedAtMs: number, nowMs: number, startupDone: boolean): Gate {
  if (state.onHold) return 'on-hold';
  if (type === 'startup' && startupDone) return 'done';
  if (type !== 'startup' && !startupDone) return 'wait-startup';
  if (nowMs - startedAtMs < s.initialDelayMs) return 'wait-initial-delay';
  return 'run';
}

/** ms until the first probe of a container started at startedAtMs may run. */
export const firstProbeDelay = (s: ProbeSettings, startedAtMs: number, nowMs: number): number => Math.max(0, startedAtMs + s.initialDelayMs - nowMs);

/** kubelet event text: "Liveness probe failed: <output>". */
export function unhealthyMessage(type: ProbeType, raw: RawResult, output: string): string {
  const name = type[0]!.toUpperCase() + type.slice(1);
  return `${name} probe ${raw === 'warning' ? 'warning' : 'failed'}: ${output}`;
}
