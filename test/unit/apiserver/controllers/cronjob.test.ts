import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { scheduleTimes } from '../../../../apiserver/controllers/cron-schedule.js';
import { jobNameFor, planCronJob } from '../../../../apiserver/controllers/cronjob-plan.js';
import { CRONJOBS, startCronJobController } from '../../../../apiserver/controllers/cronjob-controller.js';
import { JOBS } from '../../../../apiserver/controllers/job-controller.js';
import type { KubeObject } from '../../../../api/types.js';
import { FakeClock } from '../../../../lib/clock.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function cj(spec: Record<string, any> = {}, status?: Record<string, any>): KubeObject {
  return {
    metadata: { name: 'cj', namespace: 'ns', uid: 'cu', creationTimestamp: iso(T0) },
    spec: { schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } }, ...spec },
    ...(status ? { status } : {}),
  };
}

function job(name: string, start: number, state?: 'Complete' | 'Failed'): KubeObject {
  return {
    metadata: { name, namespace: 'ns', uid: `u-${name}`, creationTimestamp: iso(start), ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: 'cu', controller: true }] },
    spec: {},
    status: { startTime: iso(start), ...(state ? { conditions: [{ type: state, status: 'True' }], ...(state === 'Complete' ? { completionTime: iso(start + 1000) } : {}) } : {}) },
  };
}

describe('scheduleTimes', () => {
  it('finds the most recent time in (earliest, now] and the next one', () => {
    expect(scheduleTimes('*/5 * * * *', undefined, T0, T0 + 12 * MIN)).toEqual({ mostRecent: T0 + 10 * MIN, missed: 2, next: T0 + 15 * MIN });
    expect(scheduleTimes('*/5 * * * *', undefined, T0, T0 + 4 * MIN)).toEqual({ mostRecent: undefined, missed: 0, next: T0 + 5 * MIN });
    // a time equal to now is due
    expect(scheduleTimes('*/5 * * * *', undefined, T0, T0 + 5 * MIN).mostRecent).toBe(T0 + 5 * MIN);
  });

  it('reads @hourly and a time zone', () => {
    expect(scheduleTimes('@hourly', undefined, T0, T0 + 90 * MIN).mostRecent).toBe(T0 + 60 * MIN);
    // 09:00 in Tokyo (UTC+9) is 00:00 UTC
    expect(scheduleTimes('0 9 * * *', 'Asia/Tokyo', T0 - 1, T0 + MIN).mostRecent).toBe(T0);
    expect(scheduleTimes('0 9 * * *', 'UTC', T0 - 1, T0 + MIN).mostRecent).toBeUndefined();
  });

  it('@every counts constant delays from the earliest time', () => {
    expect(scheduleTimes('@every 5s', undefined, T0, T0 + 12_000)).toEqual({ mostRecent: T0 + 10_000, missed: 2, next: T0 + 15_000 });
  });
});

describe('planCronJob', () => {
  it('starts a Job named by the scheduled minute when due, and asks to look again at the next time', () => {
    const p = planCronJob(cj(), [], T0 + 5 * MIN + 3000);
    expect(p.create).toEqual({ scheduledTime: T0 + 5 * MIN, name: jobNameFor('cj', T0 + 5 * MIN) });
    expect(p.create!.name).toBe(`cj-${(T0 + 5 * MIN) / MIN}`);
    expect(p.status.lastScheduleTime).toBe(iso(T0 + 5 * MIN));
    expect(p.requeueAfterMs).toBe(5 * MIN - 3000);
  });

  it('does nothing before the first time or while suspended', () => {
    expect(planCronJob(cj(), [], T0 + MIN).create).toBeUndefined();
    const s = planCronJob(cj({ suspend: true }), [], T0 + 6 * MIN);
    expect(s.create).toBeUndefined();
    expect(s.skipped).toBe('Suspended');
  });

  it('Forbid skips while a Job runs; Replace deletes it and starts a new one; Allow runs both', () => {
    const running = [job('old', T0)];
    const now = T0 + 5 * MIN;
    const forbid = planCronJob(cj({ concurrencyPolicy: 'Forbid' }), running, now);
    expect(forbid.create).toBeUndefined();
    expect(forbid.skipped).toBe('Forbid');
    const rep = planCronJob(cj({ concurrencyPolicy: 'Replace' }), running, now);
    expect(rep.delete).toEqual(['old']);
    expect(rep.create).toBeDefined();
    const allow = planCronJob(cj(), running, now);
    expect(allow.create).toBeDefined();
    expect(allow.status.active).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'old', namespace: 'ns', uid: 'u-old' }]);
  });

  it('misses a run past startingDeadlineSeconds', () => {
    const p = planCronJob(cj({ startingDeadlineSeconds: 60 }), [], T0 + 7 * MIN);
    expect(p.create).toBeUndefined();
    expect(p.skipped).toBe('StartingDeadline');
    expect(planCronJob(cj({ startingDeadlineSeconds: 60 }), [], T0 + 5 * MIN + 30_000).create).toBeDefined();
  });

  it('keeps the history limits: oldest finished Jobs beyond them are deleted', () => {
    const jobs = [job('s1', T0, 'Complete'), job('s2', T0 + 1, 'Complete'), job('s3', T0 + 2, 'Complete'), job('s4', T0 + 3, 'Complete'), job('f1', T0, 'Failed'), job('f2', T0 + 5, 'Failed')];
    const p = planCronJob(cj({ successfulJobsHistoryLimit: 2 }, { lastScheduleTime: iso(T0 + 5 * MIN) }), jobs, T0 + 6 * MIN);
    expect(p.delete.sort()).toEqual(['f1', 's1', 's2']);
    expect(p.status.lastSuccessfulTime).toBe(iso(T0 + 3 + 1000).replace(/\.\d+Z/, 'Z'));
  });
});

describe('cronjob controller with a fake clock', () => {
  it('creates a Job at each scheduled time and keeps only the history limit of finished ones', async () => {
    const reg = new FakeRegistry();
    const clock = new FakeClock(T0 + 1000);
    const ac = new AbortController();
    reg.seed(CRONJOBS, cj({ schedule: '* * * * *', successfulJobsHistoryLimit: 2 }));
    const c = startCronJobController(reg, { signal: ac.signal, log: pino({ level: 'silent' }), clock });
    const settle = () => new Promise((r) => setTimeout(r, 20));
    await c.synced;
    for (let i = 1; i <= 4; i++) {
      clock.advance(MIN);
      await settle();
      // the job "finishes" before the next minute
      for (const j of reg.all(JOBS, 'ns')) {
        if (!j.status?.conditions) reg.seed(JOBS, { ...j, status: { startTime: j.metadata.creationTimestamp, completionTime: iso(clock.now()), conditions: [{ type: 'Complete', status: 'True' }] } });
      }
      await settle();
    }
    const names = reg.all(JOBS, 'ns').map((j) => j.metadata.name).sort();
    expect(names).toEqual([jobNameFor('cj', T0 + 3 * MIN), jobNameFor('cj', T0 + 4 * MIN)]);
    expect(reg.calls.filter((l) => l.startsWith('create jobs'))).toHaveLength(4);
    expect(reg.peek(CRONJOBS, 'ns', 'cj')!.status.lastScheduleTime).toBe(iso(T0 + 4 * MIN));
    ac.abort();
    await c.done;
  });
});
