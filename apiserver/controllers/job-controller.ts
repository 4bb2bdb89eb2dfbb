// Job controller: per Job, plan with planJob() over its pods, then act — delete, create, write status,
// and delete the Job itself once ttlSecondsAfterFinished has passed.
import { resourceFor } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Registry, UserInfo } from '../registry/types.js';
import { eventSink, type EventSink } from './controller-events.js';
import { deleteIfPresent, getLive, runRequeueingController, writeStatusIfChanged } from './controller-kit.js';
import { INDEX_ANNOTATION, planJob, type JobPlanOptions } from './job-plan.js';
import { keyOf, listOwnedPods, ownerKeyOfPod, PODS, podFromTemplate, splitKey } from './owned-pods.js';
import type { ControllerHandle } from './run-controller.js';

export const JOBS = resourceFor('batch', 'jobs')!;
export const JOB_CONTROLLER_USER: UserInfo = { name: 'system:serviceaccount:kube-system:job-controller', groups: ['system:masters'] };
const write = { user: JOB_CONTROLLER_USER, fieldManager: 'job-controller' };

export interface JobControllerOptions extends JobPlanOptions {
  signal: AbortSignal;
  log: Logger;
  clock?: Clock;
  resyncMs?: number;
  events?: EventSink;
}

/** The pod for one completion (index set for Indexed Jobs: annotation, label, hostname, env). */
export function jobPod(job: KubeObject, index: number | undefined): KubeObject {
  if (index === undefined) return podFromTemplate(job, JOBS, job.spec.template, { generateName: `${job.metadata.name}-` });
  const idx = String(index);
  return podFromTemplate(job, JOBS, job.spec.template, {
    generateName: `${job.metadata.name}-${idx}-`,
    labels: { [INDEX_ANNOTATION]: idx },
    annotations: { [INDEX_ANNOTATION]: idx },
    mutateSpec: (spec) => {
      spec.hostname ??= `${job.metadata.name}-${idx}`.slice(0, 63);
      const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${INDEX_ANNOTATION}']` } } };
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        c.env = [...(c.env ?? []).filter((e: { name: string }) => e.name !== env.name), env];
      }
    },
  });
}

export function startJobController(registry: Registry, opts: JobControllerOptions): ControllerHandle {
  opts = { ...opts, events: opts.events ?? eventSink(registry, 'job-controller', JOB_CONTROLLER_USER, opts.log) };
  return runRequeueingController(registry, {
    name: 'job',
    signal: opts.signal,
    log: opts.log,
    clock: opts.clock,
    workers: 2,
    resyncMs: opts.resyncMs ?? 60_000,
    watches: [
      { ri: JOBS, keyOf: (j) => keyOf(j) },
      { ri: PODS, keyOf: ownerKeyOfPod('Job') },
    ],
    sync: async (key, nowMs) => {
      const after = await syncJob(registry, key, nowMs, opts);
      return after === undefined ? undefined : Math.max(10, after);
    },
  });
}

/** One pass over a Job. Returns when to look again (ms), if the plan asks for it. */
export async function syncJob(registry: Registry, key: string, nowMs: number, opts: JobControllerOptions): Promise<number | undefined> {
  const { namespace, name } = splitKey(key);
  // 1. The Job as it is now; a deleted or deleting Job is the garbage collector's.
  const job = await getLive(registry, JOBS, namespace, name);
  if (!job) return undefined;
  // 2. Plan over its pods.
  const pods = await listOwnedPods(registry, job);
  const plan = planJob(job, pods, nowMs, opts);
  const log = opts.log.child ? opts.log.child({ job: key }) : opts.log;
  if (plan.deleteJob) {
    log.info({}, 'job finished and ttlSecondsAfterFinished passed; deleting it');
    await deleteIfPresent(registry, JOBS, namespace, name, { ...write, propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid } });
    return undefined;
  }
  // 3. Delete, then create.
  for (const pod of plan.delete) {
    await deleteIfPresent(registry, PODS, namespace, pod, write);
    opts.events?.(job, JOBS, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod}`);
  }
  for (const index of plan.create) {
    const pod = await registry.create(PODS, namespace, jobPod(job, index), write);
    log.debug({ pod: `${namespace}/${pod.metadata.name}`, index }, 'job pod created');
    opts.events?.(job, JOBS, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  }
  // 4. Status, only when it changed.
  if (await writeStatusIfChanged(registry, JOBS, job, plan.status, write)) {
    const finished = (plan.status.conditions ?? []).find((c: { type: string; status: string }) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    const was = (job.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === finished?.type && c.status === 'True');
    if (finished && !was) {
      log.info({ condition: finished.type, reason: finished.reason }, 'job finished');
      if (finished.type === 'Complete') opts.events?.(job, JOBS, 'Normal', 'Completed', 'Job completed');
      else opts.events?.(job, JOBS, 'Warning', finished.reason, finished.message);
    }
  }
  return plan.requeueAfterMs;
}
