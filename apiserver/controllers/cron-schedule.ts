// CronJob schedule arithmetic: the most recent scheduled time in (earliest, now] and the next one.
// Standard cron syntax and @hourly-style descriptors go through cron-parser (with spec.timeZone);
// "@every <duration>" is robfig/cron's constant delay, which Kubernetes accepts too. Pure.
import { CronExpressionParser } from 'cron-parser';
import { parseDuration } from '../../lib/duration.js';

export interface ScheduleTimes {
  /** the latest scheduled time t with earliest < t <= now, if any */
  mostRecent?: number;
  /** how many scheduled times fell in (earliest, now] (Kubernetes warns past 100) */
  missed: number;
  /** the first scheduled time after now */
  next: number;
}

const MAX_COUNT = 101;

export function scheduleTimes(schedule: string, timeZone: string | undefined, earliestMs: number, nowMs: number): ScheduleTimes {
  const every = /^@every\s+(\S+)$/.exec(schedule.trim());
  if (every) {
    const d = Math.max(1000, Math.round(parseDuration(every[1]) / 1000) * 1000);
    const k = Math.floor((nowMs - earliestMs) / d);
    const next = earliestMs + (Math.max(0, k) + 1) * d;
    return k >= 1 ? { mostRecent: earliestMs + k * d, missed: k, next } : { missed: 0, next };
  }
  const tz = timeZone || 'UTC';
  // cron-parser's prev() is strictly before currentDate: a hair past now includes a time equal to now
  const back = CronExpressionParser.parse(schedule, { currentDate: new Date(nowMs + 1), tz });
  const next = CronExpressionParser.parse(schedule, { currentDate: new Date(nowMs + 1), tz }).next().getTime();
  let mostRecent: number | undefined;
  let missed = 0;
  while (missed < MAX_COUNT) {
    const t = back.prev().getTime();
    if (t <= earliestMs) break;
    mostRecent ??= t;
    missed++;
  }
  return { mostRecent, missed, next };
}

/** Throws with the parser's message when the schedule is not usable (validation checks syntax only). */
export function checkSchedule(schedule: string, timeZone?: string): void {
  scheduleTimes(schedule, timeZone, 0, 0);
}
