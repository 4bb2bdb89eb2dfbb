import { describe, expect, it } from 'vitest';
import { planJob } from '../../../../apiserver/controllers/job-plan.js';
import { jobPod } from '../../../../apiserver/controllers/job-controller.js';
import type { KubeObject } from '../../../../api/types.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function job(spec: Record<string, any> = {}, status?: Record<string, any>): KubeObject {
  return {
    metadata: { name: 'j', namespace: 'ns', uid: 'u1' },
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } }, ...spec },
    ...(status ? { status } : {}),
  };
}

let seq = 0;
function pod(phase: string, extra: { index?: number; exitCode?: number; finishedAt?: number; deleting?: boolean; ready?: boolean } = {}): KubeObject {
  const name = `j-${++seq}`;
  return {
    metadata: {
      name,
      namespace: 'ns',
      creationTimestamp: iso(T0 + seq),
      ...(extra.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(extra.index) } } : {}),
      ...(extra.deleting ? { deletionTimestamp: iso(T0) } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'u1', controller: true }],
    },
    spec: { nodeName: 'n1' },
    status: {
      phase,
      conditions: extra.ready ? [{ type: 'Ready', status: 'True' }] : [],
      containerStatuses:
        extra.exitCode !== undefined ? [{ name: 'c', state: { terminated: { exitCode: extra.exitCode, finishedAt: iso(extra.finishedAt ?? T0) } } }] : [],
    },
  };
}

const condTypes = (s: Record<string, any>) => (s.conditions ?? []).filter((c: any) => c.status === 'True').map((c: any) => c.type);

describe('planJob', () => {
  it('starts parallelism pods, capped by remaining completions', () => {
    expect(planJob(job({ completions: 5, parallelism: 2 }), [], T0).create).toHaveLength(2);
    const p = planJob(job({ completions: 5, parallelism: 2 }), [pod('Succeeded'), pod('Succeeded'), pod('Succeeded'), pod('Succeeded'), pod('Running')], T0);
    expect(p.create).toHaveLength(0);
    expect(p.status).toMatchObject({ succeeded: 4, active: 1, startTime: iso(T0) });
  });

  it('goes SuccessCriteriaMet and Complete with completionTime when completions are reached', () => {
    const pods = Array.from({ length: 5 }, () => pod('Succeeded'));
    const p = planJob(job({ completions: 5, parallelism: 2 }), pods, T0 + 5000);
    expect(condTypes(p.status)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(p.status.completionTime).toBe(iso(T0 + 5000));
    expect(p.status.succeeded).toBe(5);
    expect(p.create).toEqual([]);
  });

  it('waits for running pods to stop before Complete when completions are unset', () => {
    const spec = { completions: undefined, parallelism: 2 };
    const running = planJob(job(spec), [pod('Succeeded'), pod('Running')], T0);
    expect(running.create).toEqual([]);
    expect(condTypes(planJob(job(spec), [pod('Succeeded')], T0).status)).toContain('Complete');
  });

  it('fails with BackoffLimitExceeded after more than backoffLimit failures, FailureTarget first', () => {
    const pods = [pod('Failed', { exitCode: 1 }), pod('Failed', { exitCode: 1 }), pod('Running')];
    const p = planJob(job({ backoffLimit: 1 }), pods, T0);
    expect(condTypes(p.status)).toEqual(['FailureTarget']);
    expect(p.delete).toEqual([pods[2].metadata.name]);
    const after = planJob(job({ backoffLimit: 1 }, p.status), pods.slice(0, 2), T0 + 1000);
    expect(condTypes(after.status)).toEqual(['FailureTarget', 'Failed']);
    expect(after.status.conditions.find((c: any) => c.type === 'Failed').reason).toBe('BackoffLimitExceeded');
  });

  it('delays the replacement of a failed pod by an exponential backoff', () => {
    const pods = [pod('Failed', { exitCode: 1, finishedAt: T0 }), pod('Failed', { exitCode: 1, finishedAt: T0 })];
    const early = planJob(job(), pods, T0 + 5000, { backoffBaseMs: 10_000 });
    expect(early.create).toEqual([]);
    expect(early.requeueAfterMs).toBe(15_000); // 2 failures: 10 s * 2 from the last one
    expect(planJob(job(), pods, T0 + 20_001, { backoffBaseMs: 10_000 }).create).toHaveLength(1);
  });

  it('fails with DeadlineExceeded once activeDeadlineSeconds pass, and asks to look again before', () => {
    const j = job({ activeDeadlineSeconds: 30 }, { startTime: iso(T0) });
    expect(planJob(j, [pod('Running')], T0 + 10_000).requeueAfterMs).toBe(20_000);
    const p = planJob(j, [pod('Running')], T0 + 30_000);
    expect(p.status.conditions[0]).toMatchObject({ type: 'FailureTarget', reason: 'DeadlineExceeded' });
    expect(p.delete).toHaveLength(1);
  });

  it('podFailurePolicy: FailJob on a matching exit code, Ignore does not count', () => {
    const policy = { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }, { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] };
    const ignored = planJob(job({ podFailurePolicy: policy, backoffLimit: 0 }), [pod('Failed', { exitCode: 3 })], T0);
    expect(ignored.status.failed).toBeUndefined();
    expect(ignored.create).toHaveLength(1);
    const fatal = planJob(job({ podFailurePolicy: policy, backoffLimit: 6 }), [pod('Failed', { exitCode: 42 })], T0);
    expect(fatal.status.conditions.find((c: any) => c.type === 'Failed')).toMatchObject({ reason: 'PodFailurePolicy' });
    expect(fatal.status.conditions[0].message).toMatch(/exit code 42 matching FailJob rule at index 1/);
  });

  it('Indexed: creates the lowest missing indexes and records completedIndexes', () => {
    const spec = { completionMode: 'Indexed', completions: 5, parallelism: 2 };
    const p = planJob(job(spec), [pod('Succeeded', { index: 0 }), pod('Running', { index: 1 }), pod('Succeeded', { index: 3 })], T0);
    expect(p.create).toEqual([2]);
    expect(p.status.completedIndexes).toBe('0,3');
    expect(p.status.succeeded).toBe(2);
  });

  it('deletes the Job when ttlSecondsAfterFinished passed, requeues before', () => {
    const finished = { completionTime: iso(T0), conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: iso(T0) }] };
    expect(planJob(job({ ttlSecondsAfterFinished: 10 }, finished), [], T0 + 4000)).toMatchObject({ requeueAfterMs: 6000 });
    expect(planJob(job({ ttlSecondsAfterFinished: 10 }, finished), [], T0 + 10_000).deleteJob).toBe(true);
  });

  it('suspend deletes active pods and sets Suspended', () => {
    const p = planJob(job({ suspend: true }), [pod('Running')], T0);
    expect(p.delete).toHaveLength(1);
    expect(condTypes(p.status)).toEqual(['Suspended']);
  });

  it('does not count a terminating pod as active under TerminatingOrFailed', () => {
    const p = planJob(job({ podReplacementPolicy: 'TerminatingOrFailed' }), [pod('Running', { deleting: true })], T0);
    expect(p.create).toHaveLength(1);
    expect(planJob(job({ podReplacementPolicy: 'Failed' }), [pod('Running', { deleting: true })], T0).create).toHaveLength(0);
  });
});

describe('jobPod', () => {
  it('owns the pod and sets index annotation, hostname and JOB_COMPLETION_INDEX for Indexed jobs', () => {
    const p = jobPod(job({ completionMode: 'Indexed', completions: 3 }), 2);
    expect(p.metadata.generateName).toBe('j-2-');
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'u1', controller: true, blockOwnerDeletion: true }]);
    expect(p.metadata.annotations).toEqual({ 'batch.kubernetes.io/job-completion-index': '2' });
    expect(p.spec.hostname).toBe('j-2');
    expect(p.spec.containers[0].env).toEqual([
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
    ]);
  });
});
