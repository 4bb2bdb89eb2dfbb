// apps/v1 and batch/v1 defaults, as SetDefaults_* in k8s.io/kubernetes/pkg/apis/{apps,batch}/v1.
import type { KubeObject } from '../types.js';
import { defaultPodTemplate } from './pod.js';

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

function specOf(obj: KubeObject): Record<string, any> {
  if (!isObj(obj.spec)) obj.spec = {};
  return obj.spec;
}

export function defaultDeployment(d: KubeObject): void {
  const spec = specOf(d);
  spec.replicas ??= 1;
  if (!isObj(spec.strategy)) spec.strategy = {};
  spec.strategy.type ||= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    if (!isObj(spec.strategy.rollingUpdate)) spec.strategy.rollingUpdate = {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template);
}

export function defaultReplicaSet(rs: KubeObject): void {
  const spec = specOf(rs);
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template);
}

export function defaultStatefulSet(s: KubeObject): void {
  const spec = specOf(s);
  spec.replicas ??= 1;
  spec.podManagementPolicy ||= 'OrderedReady';
  if (!isObj(spec.updateStrategy)) spec.updateStrategy = {};
  spec.updateStrategy.type ||= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    if (!isObj(spec.updateStrategy.rollingUpdate)) spec.updateStrategy.rollingUpdate = {};
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  if (!isObj(spec.persistentVolumeClaimRetentionPolicy)) spec.persistentVolumeClaimRetentionPolicy = {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ||= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ||= 'Retain';
  for (const pvc of Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []) {
    if (isObj(pvc?.spec)) pvc.spec.volumeMode ||= 'Filesystem';
  }
  defaultPodTemplate(spec.template);
}

export function defaultDaemonSet(ds: KubeObject): void {
  const spec = specOf(ds);
  if (!isObj(spec.updateStrategy)) spec.updateStrategy = {};
  spec.updateStrategy.type ||= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    if (!isObj(spec.updateStrategy.rollingUpdate)) spec.updateStrategy.rollingUpdate = {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template);
}

/** JobSpec defaults; the pod template is defaulted too (also inside CronJob templates). */
export function defaultJobSpec(spec: Record<string, any>): void {
  // completions defaults only with parallelism: unset both means "one pod, once"
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ||= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ||= 'TerminatingOrFailed';
  defaultPodTemplate(spec.template);
}

export function defaultJob(job: KubeObject): void {
  defaultJobSpec(specOf(job));
}

export function defaultCronJob(cj: KubeObject): void {
  const spec = specOf(cj);
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  // Kubernetes defaults only the pod template inside jobTemplate, not the JobSpec itself
  if (isObj(spec.jobTemplate) && isObj(spec.jobTemplate.spec)) defaultPodTemplate(spec.jobTemplate.spec.template);
}
