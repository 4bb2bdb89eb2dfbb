// CronJob controller: per CronJob, plan with planCronJob() over the Jobs it owns at the clock's
// time, then act — delete replaced and expired Jobs, start the due Job, write status — and look
// again at the next scheduled time.
import { resourceFor } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { Clock } from '../../lib/clock.js';
import { isAlreadyExists } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { eventSink, type EventSink } from './controller-events.js';
import { deleteIfPresent, getLive, runRequeueingController, writeStatusIfChanged } from './controller-kit.js';
import { jobFromCronJob, planCronJob } from './cronjob-plan.js';
import { JOBS } from './job-controller.js';
import { keyOf, listOwned, ownerKeyOfPod, splitKey } from './owned-pods.js';
import type { ControllerHandle } from './run-controller.js';

export const CRONJOBS = resourceFor('batch', 'cronjobs')!;
export const CRONJOB_CONTROLLER_USER: UserInfo = { name: 'system:serviceaccount:kube-system:cronjob-controller', groups: ['system:masters'] };
const write = { user: CRONJOB_CONTROLLER_USER, fieldManager: 'cronjob-controller' };

export interface CronJobControllerOptions {
  signal: AbortSignal;
  log: Logger;
  clock?: Clock;
  resyncMs?: number;
}

export function startCronJobController(registry: Registry, opts: CronJobControllerOptions): ControllerHandle {
  const events = eventSink(registry, 'cronjob-controller', CRONJOB_CONTROLLER_USER, opts.log);
  return runRequeueingController(registry, {
    name: 'cronjob',
    signal: opts.signal,
    log: opts.log,
    clock: opts.clock,
    resyncMs: opts.resyncMs ?? 60_000,
    watches: [
      { ri: CRONJOBS, keyOf: (cj) => keyOf(cj) },
      { ri: JOBS, keyOf: ownerKeyOfPod('CronJob') },
    ],
    sync: (key, nowMs) => syncCronJob(registry, key, nowMs, opts.log, events),
  });
}

export async function syncCronJob(registry: Registry, key: string, nowMs: number, log: Logger, events?: EventSink): Promise<number | undefined> {
  const { namespace, name } = splitKey(key);
  // 1. The CronJob and the Jobs it controls.
  const cj = await getLive(registry, CRONJOBS, namespace, name);
  if (!cj) return undefined;
  const jobs = await listOwned(registry, JOBS, cj);
  // 2. Plan.
  let plan;
  try {
    plan = planCronJob(cj, jobs, nowMs);
  } catch (e) {
    // an unparseable schedule is the user's to fix; looking again soon would not change it
    log.warn({ cronjob: key, err: (e as Error).message }, 'cronjob schedule unusable');
    return undefined;
  }
  if (plan.skipped) log.debug({ cronjob: key, reason: plan.skipped }, 'cronjob run skipped');
  // 3. Delete (Replace, history), then start the due Job.
  for (const j of plan.delete) {
    await deleteIfPresent(registry, JOBS, namespace, j, { ...write, propagationPolicy: 'Background' });
    events?.(cj, CRONJOBS, 'Normal', 'SuccessfulDelete', `Deleted job ${j}`);
  }
  if (plan.create) {
    let job: KubeObject | undefined;
    try {
      job = await registry.create(JOBS, namespace, jobFromCronJob(cj, plan.create.scheduledTime, plan.create.name), write);
      log.info({ cronjob: key, job: plan.create.name }, 'cronjob started a job');
      events?.(cj, CRONJOBS, 'Normal', 'SuccessfulCreate', `Created job ${plan.create.name}`);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    if (job) {
      const active = [...(plan.status.active ?? []), { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, namespace, uid: job.metadata.uid }];
      plan.status.active = active;
    }
  }
  // 4. Status when changed.
  await writeStatusIfChanged(registry, CRONJOBS, cj, plan.status, write);
  return plan.requeueAfterMs;
}
