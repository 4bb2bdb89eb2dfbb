import { describe, expect, it } from 'vitest';
import { BackoffTable, goDuration, crashKey, pullKey } from '../../../../agent/podworker/backoff.js';

const T = 1_000_000_000;

describe('BackoffTable crash loop', () => {
  it('grows 10 → 20 → 40 … and caps at 300 s', () => {
    const b = new BackoffTable();
    const seen: number[] = [];
    let t = T;
    for (let i = 0; i < 8; i++) {
      seen.push(b.next('k', t, t));
      t += 1000; // each run lasts 1 s
    }
    expect(seen).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('reports the window from the finish time', () => {
    const b = new BackoffTable();
    expect(b.crashBackOff('k', T, T)).toBeUndefined(); // no history: restart at once
    b.next('k', T, T); // restarted at T → next failure waits 10 s
    const finished = T + 2000;
    expect(b.crashBackOff('k', finished, finished + 9_999)).toEqual({ until: finished + 10_000, delaySec: 10 });
    expect(b.crashBackOff('k', finished, finished + 10_000)).toBeUndefined();
  });

  it('starts over at 10 s once a container ran for 10 minutes', () => {
    const b = new BackoffTable();
    b.next('k', T, T);
    b.next('k', T + 1000, T + 1000);
    b.next('k', T + 2000, T + 2000); // now 40 s
    const finished = T + 2000 + 600_000; // ran 10 minutes after its last restart
    expect(b.crashBackOff('k', finished, finished + 1)).toBeUndefined();
    expect(b.next('k', finished, finished)).toBe(10);
  });

  it('image pulls back off from the last failure', () => {
    const b = new BackoffTable();
    expect(b.pullBackOff('p', T)).toBeUndefined();
    expect(b.next('p', T)).toBe(10);
    expect(b.pullBackOff('p', T + 5000)).toEqual({ until: T + 10_000, delaySec: 10 });
    expect(b.pullBackOff('p', T + 10_000)).toBeUndefined();
    expect(b.next('p', T + 10_000)).toBe(20);
    b.reset('p');
    expect(b.pullBackOff('p', T + 10_001)).toBeUndefined();
  });

  it('forgets a pod and garbage-collects stale entries', () => {
    const b = new BackoffTable();
    b.next(crashKey('u1', 'a'), T);
    b.next(pullKey('u1', 'img'), T);
    b.next(crashKey('u2', 'a'), T);
    b.forgetPod('u1');
    expect(b.size()).toBe(1);
    b.gc(T + 600_000);
    expect(b.size()).toBe(0);
  });

  it('formats delays like Go durations', () => {
    expect([10, 40, 80, 160, 300].map(goDuration)).toEqual(['10s', '40s', '1m20s', '2m40s', '5m0s']);
  });
});
