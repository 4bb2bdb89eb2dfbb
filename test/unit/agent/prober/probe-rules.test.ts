import { describe, expect, it } from 'vitest';
import { applyResult, firstProbeDelay, initialState, probeGate, probeSettings, unhealthyMessage, type ProbeType, type RawResult } from '../../../../agent/prober/probe-rules.js';

const walk = (type: ProbeType, p: any, raws: RawResult[]) => {
  const s = probeSettings(p);
  let st = initialState(type);
  return raws.map((r) => (st = applyResult(st, r, s, type)).result);
};

describe('probe rules', () => {
  it('defaults as Kubernetes, 0 meaning the default', () => {
    expect(probeSettings({})).toEqual({ initialDelayMs: 0, periodMs: 10_000, timeoutMs: 1_000, successThreshold: 1, failureThreshold: 3 });
    expect(probeSettings({ initialDelaySeconds: 5, periodSeconds: 0, timeoutSeconds: 2, successThreshold: 0, failureThreshold: 1 })).toEqual({
      initialDelayMs: 5_000,
      periodMs: 10_000,
      timeoutMs: 2_000,
      successThreshold: 1,
      failureThreshold: 1,
    });
  });

  it('initial results: live, not ready, startup unknown', () => {
    expect(initialState('liveness').result).toBe('success');
    expect(initialState('readiness').result).toBe('failure');
    expect(initialState('startup').result).toBe('unknown');
  });

  it('failureThreshold counts consecutive failures; a success in between starts over', () => {
    expect(walk('readiness', { failureThreshold: 3 }, ['success', 'failure', 'failure', 'success', 'failure', 'failure', 'failure'])).toEqual([
      'success',
      'success',
      'success',
      'success',
      'success',
      'success',
      'failure',
    ]);
  });

  it('successThreshold: readiness needs that many successes in a row; a warning counts as success', () => {
    expect(walk('readiness', { successThreshold: 2, failureThreshold: 1 }, ['success', 'failure', 'warning', 'success', 'failure'])).toEqual([
      'failure',
      'failure',
      'failure',
      'success',
      'failure',
    ]);
  });

  it('liveness and startup go on hold after their failure; readiness never does', () => {
    const s = probeSettings({ failureThreshold: 1 });
    const live = applyResult(initialState('liveness'), 'failure', s, 'liveness');
    expect(live).toMatchObject({ result: 'failure', onHold: true, run: 0 });
    expect(probeGate('liveness', s, live, 0, 10_000, true)).toBe('on-hold');
    const ready = applyResult(initialState('readiness'), 'failure', s, 'readiness');
    expect(ready.onHold).toBe(false);
    expect(applyResult(initialState('startup'), 'failure', s, 'startup').onHold).toBe(true);
  });

  it('gates: initialDelaySeconds, startup before liveness/readiness, startup done after success', () => {
    const s = probeSettings({ initialDelaySeconds: 5 });
    const st = initialState('liveness');
    expect(probeGate('liveness', s, st, 1_000, 5_999, true)).toBe('wait-initial-delay');
    expect(probeGate('liveness', s, st, 1_000, 6_000, true)).toBe('run');
    expect(probeGate('readiness', s, initialState('readiness'), 0, 60_000, false)).toBe('wait-startup');
    expect(probeGate('startup', s, initialState('startup'), 0, 60_000, false)).toBe('run');
    expect(probeGate('startup', s, initialState('startup'), 0, 60_000, true)).toBe('done');
    expect(firstProbeDelay(s, 1_000, 2_000)).toBe(4_000);
    expect(firstProbeDelay(s, 1_000, 9_000)).toBe(0);
  });

  it('event messages in the kubelet wording', () => {
    expect(unhealthyMessage('liveness', 'failure', 'boom')).toBe('Liveness probe failed: boom');
    expect(unhealthyMessage('readiness', 'warning', 'x')).toBe('Readiness probe warning: x');
  });
});
