// The CronJob controller's pure core, after Kubernetes' cronjob_controllerv2: from the CronJob, the
// Jobs it owns and the time, decide whether a Job starts now (and under what name), which Jobs go
// (Replace, history limits), the new status, and when to look again.
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { scheduleTimes } from './cron-schedule.js';

export const SCHEDULED_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export interface CronJobPlan {
  /** start a Job for this scheduled time (ms) */
  create?: { scheduledTime: number; name: string };
  /** Jobs to delete (background propagation) */
  delete: string[];
  status: Record<string, any>;
  /** look again after this long: the next scheduled time */
  requeueAfterMs?: number;
  /** why nothing started at a due time (for the log) */
  skipped?: 'Forbid' | 'StartingDeadline' | 'Suspended';
}

type Cond = { type: string; status: string; lastTransitionTime?: string };

export function jobFinished(job: KubeObject): 'Complete' | 'Failed' | undefined {
  const c = ((job.status?.conditions ?? []) as Cond[]).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

/** Kubernetes names a CronJob's Job by its scheduled time in minutes; sub-minute @every uses seconds. */
export function jobNameFor(cronJob: string, scheduledTime: number): string {
  const suffix = scheduledTime % 60_000 === 0 ? Math.floor(scheduledTime / 60_000) : Math.floor(scheduledTime / 1000);
  return `${cronJob}-${suffix}`;
}

const ref = (j: KubeObject) => ({ apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name, namespace: j.metadata.namespace, uid: j.metadata.uid });
const startOf = (j: KubeObject): number => Date.parse(j.status?.startTime ?? j.metadata.creationTimestamp ?? '') || 0;

export function planCronJob(cj: KubeObject, jobs: KubeObject[], nowMs: number): CronJobPlan {
  const spec = cj.spec ?? {};
  const prev = cj.status ?? {};
  const plan: CronJobPlan = { delete: [], status: {} };

  // 1. What the Jobs say: which still run, when the last one succeeded.
  const running = jobs.filter((j) => !jobFinished(j) && !j.metadata.deletionTimestamp);
  const succeeded = jobs.filter((j) => jobFinished(j) === 'Complete');
  const lastOk = Math.max(0, ...succeeded.map((j) => Date.parse(j.status?.completionTime ?? '') || 0), Date.parse(prev.lastSuccessfulTime ?? '') || 0);

  // 2. History limits: the oldest finished Jobs beyond each limit go.
  const prune = (list: KubeObject[], limit: number | undefined) => {
    if (limit === undefined || limit === null) return;
    const sorted = [...list].filter((j) => !j.metadata.deletionTimestamp).sort((a, b) => startOf(a) - startOf(b));
    plan.delete.push(...sorted.slice(0, Math.max(0, sorted.length - limit)).map((j) => j.metadata.name!));
  };
  prune(succeeded, spec.successfulJobsHistoryLimit);
  prune(jobs.filter((j) => jobFinished(j) === 'Failed'), spec.failedJobsHistoryLimit);

  // 3. The most recent due time since the last schedule (or creation), within startingDeadlineSeconds.
  let lastSchedule = prev.lastScheduleTime as string | undefined;
  let active = running;
  const earliest = Date.parse(lastSchedule ?? cj.metadata.creationTimestamp ?? nowRfc3339(new Date(nowMs)));
  const deadline = spec.startingDeadlineSeconds;
  const from = deadline !== undefined && deadline !== null ? Math.max(earliest, nowMs - deadline * 1000) : earliest;
  const times = scheduleTimes(spec.schedule, spec.timeZone, from, nowMs);
  plan.requeueAfterMs = Math.max(100, times.next - nowMs);
  const due = times.mostRecent;
  if (due !== undefined) {
    const name = jobNameFor(cj.metadata.name!, due);
    const exists = jobs.some((j) => j.metadata.name === name);
    if (spec.suspend) plan.skipped = 'Suspended';
    else if (exists) lastSchedule = nowRfc3339(new Date(due));
    else if (spec.concurrencyPolicy === 'Forbid' && running.length > 0) {
      // the due time stays pending: it starts when the running Job ends, if still within the deadline
      plan.skipped = 'Forbid';
      plan.requeueAfterMs = Math.min(plan.requeueAfterMs, 1000);
    } else {
      if (spec.concurrencyPolicy === 'Replace') {
        plan.delete.push(...running.map((j) => j.metadata.name!));
        active = [];
      }
      plan.create = { scheduledTime: due, name };
      lastSchedule = nowRfc3339(new Date(due));
    }
  } else if (!spec.suspend && deadline !== undefined && deadline !== null && earliest < from) {
    const missedAny = scheduleTimes(spec.schedule, spec.timeZone, earliest, from).mostRecent !== undefined;
    if (missedAny) plan.skipped = 'StartingDeadline';
  }

  // 4. Status: active references (the new Job is added by the caller once created).
  const status: Record<string, any> = { ...prev };
  if (active.length) status.active = active.map(ref);
  else delete status.active;
  if (lastSchedule) status.lastScheduleTime = lastSchedule;
  if (lastOk > 0) status.lastSuccessfulTime = nowRfc3339(new Date(lastOk));
  plan.status = status;
  plan.delete = [...new Set(plan.delete)];
  return plan;
}

/** The Job a CronJob starts for one scheduled time. */
export function jobFromCronJob(cj: KubeObject, scheduledTime: number, name: string): KubeObject {
  const tmpl = cj.spec?.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace,
      labels: { ...(tmpl.metadata?.labels ?? {}) },
      annotations: { ...(tmpl.metadata?.annotations ?? {}), [SCHEDULED_ANNOTATION]: nowRfc3339(new Date(scheduledTime)) },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name!, uid: cj.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(tmpl.spec ?? {}),
  };
}
