import { describe, expect, it } from 'vitest';
import { getPhase } from '../../../../agent/status/phase.js';

const running = (name: string) => ({ name, state: { running: {} } });
const term = (name: string, exitCode: number) => ({ name, state: { terminated: { exitCode } } });
const waiting = (name: string, lastExit?: number) => ({ name, state: { waiting: { reason: 'x' } }, lastState: lastExit === undefined ? {} : { terminated: { exitCode: lastExit } } });
const pod = (restartPolicy: string, n = 1, inits = 0) => ({
  metadata: {},
  spec: {
    restartPolicy,
    containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}` })),
    initContainers: Array.from({ length: inits }, (_, i) => ({ name: `i${i}` })),
  },
});

describe('getPhase (kubelet table)', () => {
  const cases: [string, string, any[], string][] = [
    ['no statuses', 'Always', [], 'Pending'],
    ['waiting without history', 'Always', [waiting('c0')], 'Pending'],
    ['running', 'Always', [running('c0')], 'Running'],
    ['running + unknown', 'Always', [running('c0')], 'Running'],
    ['exited 0 under Always → restarting', 'Always', [term('c0', 0)], 'Running'],
    ['exited 1 under Always', 'Always', [term('c0', 1)], 'Running'],
    ['exited 0 under OnFailure', 'OnFailure', [term('c0', 0)], 'Succeeded'],
    ['exited 1 under OnFailure → restarting', 'OnFailure', [term('c0', 1)], 'Running'],
    ['exited 0 under Never', 'Never', [term('c0', 0)], 'Succeeded'],
    ['exited 1 under Never', 'Never', [term('c0', 1)], 'Failed'],
    ['CrashLoopBackOff (waiting after a termination)', 'Always', [waiting('c0', 1)], 'Running'],
  ];
  it.each(cases)('%s', (_n, policy, statuses, phase) => {
    expect(getPhase(pod(policy) as any, [], statuses)).toBe(phase);
  });

  it('one of two containers unknown → Pending', () => {
    expect(getPhase(pod('Always', 2) as any, [], [running('c0')])).toBe('Pending');
  });

  it('init containers pending → Pending; failed under Never → Failed; failed under Always → Pending', () => {
    expect(getPhase(pod('Always', 1, 2) as any, [term('i0', 0), running('i1')], [waiting('c0')])).toBe('Pending');
    expect(getPhase(pod('Never', 1, 2) as any, [term('i0', 1)], [waiting('c0')])).toBe('Failed');
    expect(getPhase(pod('Never', 1, 2) as any, [waiting('i0', 1)], [waiting('c0')])).toBe('Failed');
    expect(getPhase(pod('Always', 1, 2) as any, [waiting('i0', 1)], [waiting('c0')])).toBe('Pending');
  });

  it('a terminal pod ignores the restart policy', () => {
    expect(getPhase(pod('Always') as any, [], [term('c0', 0)], true)).toBe('Succeeded');
    expect(getPhase(pod('Always') as any, [], [term('c0', 137)], true)).toBe('Failed');
  });

  it('a sidecar that has not started keeps the pod pending; a started one does not', () => {
    const p = { metadata: {}, spec: { containers: [{ name: 'c0' }], initContainers: [{ name: 's', restartPolicy: 'Always' }] } };
    expect(getPhase(p as any, [{ name: 's', state: { running: {} }, started: false }], [])).toBe('Pending');
    expect(getPhase(p as any, [{ name: 's', state: { running: {} }, started: true }], [running('c0')])).toBe('Running');
  });
});
