// The Job controller's pure core: from the Job and its pods, decide which pods to create and delete
// and what the status becomes. Follows the 1.32 Job controller: FailureTarget / SuccessCriteriaMet
// come first, the terminal Failed / Complete conditions once no pod of the Job is still running.
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { compressIndexes, isActivePod, isDeleting, isPodReady, isTerminalPod, parseIndexes } from './owned-pods.js';
import { podFailureAction, type FailureAction } from './job-failure-policy.js';

export const INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

export interface JobCondition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

export interface JobPlanOptions {
  /** first delay before recreating after a failure; doubles per failure (Kubernetes: 10 s) */
  backoffBaseMs?: number;
  /** cap of that delay (Kubernetes: 6 min) */
  backoffMaxMs?: number;
}

export interface JobPlan {
  /** pods to create: an index for Indexed jobs, undefined otherwise */
  create: (number | undefined)[];
  /** names of pods to delete */
  delete: string[];
  status: Record<string, any>;
  /** ttlSecondsAfterFinished elapsed: delete the Job (its pods go with it through the GC) */
  deleteJob?: boolean;
  /** look again after this long (backoff, deadline, ttl) */
  requeueAfterMs?: number;
}

const hasCond = (conds: JobCondition[], type: string): JobCondition | undefined => conds.find((c) => c.type === type && c.status === 'True');

export function setCondition(conds: JobCondition[], next: Omit<JobCondition, 'lastProbeTime' | 'lastTransitionTime'>, now: string): JobCondition[] {
  const old = conds.find((c) => c.type === next.type);
  if (old && old.status === next.status && old.reason === next.reason) return conds;
  const c: JobCondition = { ...next, lastProbeTime: now, lastTransitionTime: old?.status === next.status ? old.lastTransitionTime : now };
  return old ? conds.map((x) => (x === old ? c : x)) : [...conds, c];
}

export function podIndex(pod: KubeObject): number | undefined {
  const v = pod.metadata.annotations?.[INDEX_ANNOTATION] ?? pod.metadata.labels?.[INDEX_ANNOTATION];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** When the newest failure happened: container finish times, else the pod's creation. */
function failedAt(pod: KubeObject): number {
  const times = ((pod.status?.containerStatuses ?? []) as KubeObject[])
    .map((cs) => Date.parse(cs.state?.terminated?.finishedAt ?? cs.lastState?.terminated?.finishedAt ?? ''))
    .filter(Number.isFinite);
  return times.length ? Math.max(...times) : Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
}

const restarts = (pod: KubeObject): number =>
  ((pod.status?.containerStatuses ?? []) as { restartCount?: number }[]).reduce((a, c) => a + (c.restartCount ?? 0), 0);

/** Pods to give up first when there are too many: unscheduled, then not ready, then newest. */
function deletionOrder(a: KubeObject, b: KubeObject): number {
  const rank = (p: KubeObject) => (!p.spec?.nodeName ? 0 : !isPodReady(p) ? 1 : 2);
  return rank(a) - rank(b) || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp));
}

export function planJob(job: KubeObject, pods: KubeObject[], nowMs: number, opts: JobPlanOptions = {}): JobPlan {
  const spec = job.spec ?? {};
  const prev = job.status ?? {};
  const now = nowRfc3339(new Date(nowMs));
  const indexed = spec.completionMode === 'Indexed';
  const completions: number | undefined = spec.completions ?? undefined;
  const parallelism: number = spec.parallelism ?? 1;
  let conds: JobCondition[] = [...(prev.conditions ?? [])];
  const plan: JobPlan = { create: [], delete: [], status: {} };

  // 1. Count what the pods say.
  const active = pods.filter(isActivePod);
  const terminating = pods.filter((p) => isDeleting(p) && !isTerminalPod(p));
  const succeededPods = pods.filter((p) => p.status?.phase === 'Succeeded');
  const failedPods = pods.filter((p) => p.status?.phase === 'Failed');
  const actions = new Map<KubeObject, FailureAction>(failedPods.map((p) => [p, podFailureAction(spec.podFailurePolicy, p)]));
  const counted = failedPods.filter((p) => actions.get(p)!.action !== 'Ignore');
  const onFailureRestarts = spec.template?.spec?.restartPolicy === 'OnFailure' ? active.reduce((a, p) => a + restarts(p), 0) : 0;
  const failed = Math.max(prev.failed ?? 0, counted.length + onFailureRestarts);
  const doneIndexes = parseIndexes(prev.completedIndexes);
  if (indexed) for (const p of succeededPods) {
    const i = podIndex(p);
    if (i !== undefined && i < (completions ?? 0)) doneIndexes.add(i);
  }
  const succeeded = indexed ? doneIndexes.size : Math.max(prev.succeeded ?? 0, succeededPods.length);
  const finish = (): void => {
    plan.status = {
      ...prev,
      conditions: conds.length ? conds : undefined,
      active: active.length - plan.delete.filter((n) => active.some((p) => p.metadata.name === n)).length || undefined,
      succeeded: succeeded || undefined,
      failed: failed || undefined,
      ready: active.filter(isPodReady).length,
      terminating: terminating.length,
      ...(indexed ? { completedIndexes: compressIndexes(doneIndexes) } : {}),
      uncountedTerminatedPods: {},
    };
    for (const k of Object.keys(plan.status)) if (plan.status[k] === undefined) delete plan.status[k];
  };

  // 2. A finished Job only waits for its TTL.
  const complete = hasCond(conds, 'Complete');
  const failedCond = hasCond(conds, 'Failed');
  if (complete || failedCond) {
    if (spec.ttlSecondsAfterFinished !== undefined && spec.ttlSecondsAfterFinished !== null) {
      const finishedAt = Date.parse(prev.completionTime ?? failedCond?.lastTransitionTime ?? complete?.lastTransitionTime ?? now);
      const left = finishedAt + spec.ttlSecondsAfterFinished * 1000 - nowMs;
      if (left <= 0) plan.deleteJob = true;
      else plan.requeueAfterMs = left;
    }
    plan.delete = active.map((p) => p.metadata.name!);
    finish();
    return plan;
  }

  // 3. Suspended: no pods run; resuming restarts the active deadline clock.
  if (spec.suspend) {
    conds = setCondition(conds, { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }, now);
    plan.delete = active.map((p) => p.metadata.name!);
    finish();
    delete plan.status.startTime;
    return plan;
  }
  const wasSuspended = hasCond(conds, 'Suspended');
  if (wasSuspended) conds = setCondition(conds, { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' }, now);
  const startTime: string = (!wasSuspended && prev.startTime) || now;
  const startMs = Date.parse(startTime);

  // 4. Failure: a FailJob rule, too many failures, or the active deadline.
  let failure = hasCond(conds, 'FailureTarget') as { reason?: string; message?: string } | undefined;
  if (!failure) {
    const failJob = failedPods.find((p) => actions.get(p)!.action === 'FailJob');
    const deadline = spec.activeDeadlineSeconds;
    if (failJob) failure = { reason: 'PodFailurePolicy', message: actions.get(failJob)!.message };
    else if (failed > (spec.backoffLimit ?? 6)) failure = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    else if (deadline && nowMs >= startMs + deadline * 1000) failure = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    else if (deadline) plan.requeueAfterMs = startMs + deadline * 1000 - nowMs;
  }
  if (failure) {
    conds = setCondition(conds, { type: 'FailureTarget', status: 'True', reason: failure.reason, message: failure.message }, now);
    plan.delete = active.map((p) => p.metadata.name!);
    if (active.length === 0 && terminating.length === 0) {
      conds = setCondition(conds, { type: 'Failed', status: 'True', reason: failure.reason, message: failure.message }, now);
    }
    finish();
    plan.status.startTime = startTime;
    return plan;
  }

  // 5. Success: enough completions (or, without completions, any success once nothing runs).
  const done = completions === undefined ? succeeded > 0 && active.length === 0 : succeeded >= completions;
  if (done || hasCond(conds, 'SuccessCriteriaMet')) {
    const msg = { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
    conds = setCondition(conds, { type: 'SuccessCriteriaMet', status: 'True', ...msg }, now);
    plan.delete = active.map((p) => p.metadata.name!);
    if (active.length === 0 && terminating.length === 0) {
      conds = setCondition(conds, { type: 'Complete', status: 'True', ...msg }, now);
      plan.status.completionTime = now;
    }
    const completionTime = plan.status.completionTime;
    finish();
    plan.status.startTime = startTime;
    if (completionTime) {
      plan.status.completionTime = completionTime;
      if (spec.ttlSecondsAfterFinished !== undefined && spec.ttlSecondsAfterFinished !== null) plan.requeueAfterMs = spec.ttlSecondsAfterFinished * 1000;
    }
    return plan;
  }

  // 6. How many pods should run now; more than that are deleted, fewer are created (after backoff).
  const busy = spec.podReplacementPolicy === 'Failed' ? [...active, ...terminating] : active;
  let want: (number | undefined)[] = [];
  if (indexed) {
    const running = new Set(busy.map(podIndex));
    const pending = Array.from({ length: completions ?? 0 }, (_, i) => i).filter((i) => !doneIndexes.has(i) && !running.has(i));
    want = pending.slice(0, Math.max(0, parallelism - busy.length));
  } else {
    const target = completions === undefined ? (succeeded > 0 ? busy.length : parallelism) : Math.min(parallelism, completions - succeeded);
    if (busy.length > target) {
      plan.delete = [...active].sort(deletionOrder).slice(0, busy.length - target).map((p) => p.metadata.name!);
    }
    want = Array.from({ length: Math.max(0, target - busy.length) }, () => undefined);
  }
  if (want.length && counted.length) {
    const base = opts.backoffBaseMs ?? 10_000;
    const delay = Math.min(base * 2 ** (counted.length - 1), opts.backoffMaxMs ?? 360_000);
    const readyAt = Math.max(...counted.map(failedAt)) + delay;
    if (nowMs < readyAt) {
      want = [];
      plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, readyAt - nowMs);
    }
  }
  plan.create = want;
  finish();
  plan.status.startTime = startTime;
  plan.status.active = (plan.status.active ?? 0) + want.length || undefined;
  if (!plan.status.active) delete plan.status.active;
  return plan;
}
