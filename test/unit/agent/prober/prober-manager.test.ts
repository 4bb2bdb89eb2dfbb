import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ProbeOutcome, ProbeTarget } from '../../../../agent/prober/handlers/index.js';
import { ProberManager } from '../../../../agent/prober/prober-manager.js';
import { FakeClock } from '../../../../lib/clock.js';
import { iso, makePod, rc, RecordingEvents, rpod } from '../podworker/helpers.js';

const flush = () => new Promise((r) => setImmediate(r));

/** A prober on a fake clock whose handler answers from `answers` (per container/probe command). */
function setup() {
  const clock = new FakeClock(Date.parse('2024-01-01T00:00:00Z'));
  const events = new RecordingEvents();
  const nudges: string[] = [];
  const calls: string[] = [];
  const answers = new Map<string, ProbeOutcome>();
  const run = async (probe: any, t: ProbeTarget): Promise<ProbeOutcome> => {
    const what = probe.exec.command[0];
    calls.push(`${t.containerId}:${what}`);
    return answers.get(what) ?? { result: 'success', output: '' };
  };
  const m = new ProberManager({ runtime: { exec: async () => ({ exitCode: 0, output: '', timedOut: false }) }, events, nudge: (u) => nudges.push(u), log: pino({ level: 'silent' }), clock, run });
  const step = async (ms: number) => {
    clock.advance(ms);
    await flush();
  };
  return { clock, events, nudges, calls, answers, m, step };
}
const probe = (cmd: string, extra: Record<string, unknown> = {}) => ({ exec: { command: [cmd] }, periodSeconds: 1, failureThreshold: 2, ...extra });

describe('ProberManager', () => {
  it('liveness: failures below the threshold change nothing; at the threshold one change, one nudge, events each time', async () => {
    const t = setup();
    const pod = makePod({ containers: [{ name: 'app', image: 'img:1', livenessProbe: probe('live') }] });
    const app = rc({ containerName: 'app', startedAt: iso(t.clock.now()) });
    t.m.sync(pod, rpod([app]));
    expect(t.m.workerCount()).toBe(1);
    expect(t.m.liveness('uid-1').get('app')).toBe('success');
    await t.step(0);
    expect(t.calls).toEqual([`${app.id}:live`]);
    t.answers.set('live', { result: 'failure', output: 'dead' });
    await t.step(1000);
    expect(t.m.liveness('uid-1').get('app')).toBe('success');
    expect(t.nudges).toEqual([]);
    await t.step(1000);
    expect(t.m.liveness('uid-1').get('app')).toBe('failure');
    expect(t.nudges).toEqual(['uid-1']);
    expect(t.events.events.filter((e) => e.reason === 'Unhealthy')).toEqual([
      { type: 'Warning', reason: 'Unhealthy', message: 'Liveness probe failed: dead', fieldPath: 'spec.containers{app}' },
      { type: 'Warning', reason: 'Unhealthy', message: 'Liveness probe failed: dead', fieldPath: 'spec.containers{app}' },
    ]);
    // on hold: no more probes of this instance
    await t.step(5000);
    expect(t.calls).toHaveLength(3);
  });

  it('a new container instance replaces the worker and starts from the initial results', async () => {
    const t = setup();
    const pod = makePod({ containers: [{ name: 'app', image: 'img:1', livenessProbe: probe('live', { failureThreshold: 1 }), readinessProbe: probe('ready', { initialDelaySeconds: 3 }) }] });
    const first = rc({ containerName: 'app' });
    t.m.sync(pod, rpod([first]));
    t.answers.set('live', { result: 'failure', output: 'x' });
    await t.step(0);
    await t.step(0);
    expect(t.m.liveness('uid-1').get('app')).toBe('failure');
    const second = rc({ containerName: 'app', restartCount: 1, startedAt: iso(t.clock.now()) });
    const nudges = t.nudges.length;
    t.m.sync(pod, rpod([second, { ...first, state: 'exited' }]));
    expect(t.m.workerCount()).toBe(2);
    expect(t.m.liveness('uid-1').get('app')).toBe('success');
    expect(t.m.readiness('uid-1').get('app')).toBe(false);
    expect(t.nudges.length).toBe(nudges); // initial values are no change
    t.calls.length = 0;
    t.answers.delete('live');
    await t.step(2000);
    // readiness waits out its 3 s initial delay, liveness probes the new instance every period
    expect(t.calls.every((c) => c === `${second.id}:live`)).toBe(true);
    await t.step(1000);
    expect(t.calls).toContain(`${second.id}:ready`);
    expect(t.m.readiness('uid-1').get('app')).toBe(true);
  });

  it('liveness and readiness wait for the startup probe; its success wakes them at once', async () => {
    const t = setup();
    const pod = makePod({ containers: [{ name: 'app', image: 'img:1', startupProbe: probe('start', { failureThreshold: 10 }), livenessProbe: probe('live', { periodSeconds: 10 }) }] });
    const app = rc({ containerName: 'app' });
    t.m.sync(pod, rpod([app]));
    t.answers.set('start', { result: 'failure', output: 'not yet' });
    for (let i = 0; i < 3; i++) await t.step(1000);
    expect(t.calls.every((c) => c.endsWith(':start'))).toBe(true);
    expect(t.m.startup('uid-1').get('app')).toBe('unknown');
    t.answers.delete('start');
    await t.step(1000);
    await t.step(0);
    expect(t.m.startup('uid-1').get('app')).toBe('success');
    expect(t.calls.at(-1)).toBe(`${app.id}:live`);
    const starts = t.calls.filter((c) => c.endsWith(':start')).length;
    await t.step(5000);
    expect(t.calls.filter((c) => c.endsWith(':start')).length).toBe(starts); // startup is done for good
  });

  it('workers stop when the container is gone or the pod terminates; their results go with them', async () => {
    const t = setup();
    const pod = makePod({ containers: [{ name: 'app', image: 'img:1', readinessProbe: probe('ready', { failureThreshold: 1 }) }, { name: 'plain', image: 'img:1' }] });
    const app = rc({ containerName: 'app' });
    t.m.sync(pod, rpod([app, rc({ containerName: 'plain' })]));
    expect(t.m.workerCount()).toBe(1);
    await t.step(0);
    expect(t.m.readiness('uid-1').get('app')).toBe(true);
    t.m.sync(pod, rpod([{ ...app, state: 'exited', exitCode: 1 }]));
    expect(t.m.workerCount()).toBe(0);
    expect(t.m.readiness('uid-1').has('app')).toBe(false);
    const n = t.calls.length;
    await t.step(5000);
    expect(t.calls.length).toBe(n);
    // no sandbox: nothing to probe
    t.m.sync(pod, rpod([rc({ containerName: 'app' })], []));
    expect(t.m.workerCount()).toBe(0);
    t.m.sync(pod, rpod([rc({ containerName: 'app' })]));
    expect(t.m.workerCount()).toBe(1);
    t.m.removePod('uid-1');
    expect(t.m.workerCount()).toBe(0);
    expect(t.m.readiness('uid-1').size).toBe(0);
  });
});
