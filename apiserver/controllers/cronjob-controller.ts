// CronJob controller: per CronJob, plan with planCronJob() over the Jobs it owns at the clock's
// time, then act — delete replaced and expired Jobs, start the due Job, write status — and look
// again at the next scheduled time.
import { resourceFor } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../../lib/clock.js';
import { isAlreadyExists, isNotFound } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { jsonEqual } from '../registry/codec.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { eventSink, type EventSink } from './controller-events.js';
import { jobFromCronJob, planCronJob } from './cronjob-plan.js';
import { JOBS } from './job-controller.js';
import { controllerUid, keyOf, ownerKeyOfPod, splitKey } from './owned-pods.js';
import { runController, type ControllerHandle } from './run-controller.js';

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
  const clock = opts.clock ?? realClock;
  const events = eventSink(registry, 'cronjob-controller', CRONJOB_CONTROLLER_USER, opts.log);
  const handle: ControllerHandle = runController({
    name: 'cronjob',
    registry,
    signal: opts.signal,
    log: opts.log,
    clock,
    resyncMs: opts.resyncMs ?? 60_000,
    watches: [
      { ri: CRONJOBS, keyOf: (cj) => keyOf(cj) },
      { ri: JOBS, keyOf: ownerKeyOfPod('CronJob') },
    ],
    sync: async (key) => {
      const after = await syncCronJob(registry, key, clock.now(), opts.log, events);
      if (after !== undefined) handle.enqueueAfter(key, after);
    },
  });
  return handle;
}

export async function syncCronJob(registry: Registry, key: string, nowMs: number, log: Logger, events?: EventSink): Promise<number | undefined> {
  const { namespace, name } = splitKey(key);
  // 1. The CronJob and the Jobs it controls.
  let cj: KubeObject;
  try {
    cj = await registry.get(CRONJOBS, namespace, name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  if (cj.metadata.deletionTimestamp) return undefined;
  const jobs = (await registry.list(JOBS, namespace)).items.filter((j) => controllerUid(j) === cj.metadata.uid);
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
    await registry.delete(JOBS, namespace, j, { ...write, propagationPolicy: 'Background' }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
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
  if (!jsonEqual(plan.status, cj.status ?? {})) {
    await registry.guaranteedUpdate(CRONJOBS, namespace, name, (cur) => {
      if (cur!.metadata.uid === cj.metadata.uid) cur!.status = plan.status;
      return cur!;
    }, { ...write, subresource: 'status' }).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  }
  return plan.requeueAfterMs;
}
