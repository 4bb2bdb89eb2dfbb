// ReplicaSet, StatefulSet, DaemonSet, Job and CronJob. Their spec is typed down to the pod template so
// kubectl finds the merge keys of containers, env, ports... when it computes an apply patch; status
// stays free-form (users never apply it).
import { object, objectHeader, type Fields, type Schema } from './dsl.js';

const A = 'io.k8s.api.apps.v1.';
const B = 'io.k8s.api.batch.v1.';

/** A top-level kind whose spec is `specName` and whose status is free-form. */
function kind(description: string, specName: string, what: string): Schema {
  return object(description, {
    ...objectHeader,
    spec: [specName, `Desired state of the ${what}.`],
    status: ['o', `Most recently observed state of the ${what}. Read-only.`],
  });
}

/** Fields every pod-owning controller spec shares. */
const podOwner: Fields = {
  selector: ['meta.LabelSelector', 'Selects the pods this object owns; must match the template labels.'],
  template: ['core.PodTemplateSpec', 'The pods to create.'],
  minReadySeconds: ['i', 'Seconds a new pod must be ready before it counts as available.'],
};

export const WORKLOAD_SCHEMAS: Record<string, Schema> = {
  [`${A}ReplicaSet`]: kind('Keeps a number of identical pods running.', 'apps.ReplicaSetSpec', 'replica set'),
  [`${A}ReplicaSetSpec`]: object(
    'Desired state of a replica set.',
    { replicas: ['i', 'Number of desired pods. Defaults to 1.'], ...podOwner },
    ['selector'],
  ),
  [`${A}StatefulSet`]: kind('Pods with stable names and storage, created in order.', 'apps.StatefulSetSpec', 'stateful set'),
  [`${A}StatefulSetSpec`]: object(
    'Desired state of a stateful set.',
    {
      replicas: ['i', 'Number of desired pods. Defaults to 1.'],
      ...podOwner,
      serviceName: ['s', 'Headless service giving the pods their DNS names.'],
      volumeClaimTemplates: ['[o]', 'Claims created for every pod.'],
      podManagementPolicy: ['s', 'OrderedReady (default) or Parallel.'],
      updateStrategy: ['apps.StatefulSetUpdateStrategy', 'How pods are replaced when the template changes.'],
      revisionHistoryLimit: ['i', 'Revisions kept. Defaults to 10.'],
      persistentVolumeClaimRetentionPolicy: ['o', 'What happens to claims on deletion and scale down.'],
      ordinals: ['o', 'Numbering of the replicas (start).'],
    },
    ['selector', 'template'],
  ),
  [`${A}StatefulSetUpdateStrategy`]: object('How a stateful set replaces pods.', {
    type: ['s', 'RollingUpdate (default) or OnDelete.'],
    rollingUpdate: ['o', 'partition and maxUnavailable.'],
  }),
  [`${A}DaemonSet`]: kind('Runs one pod on every (selected) node.', 'apps.DaemonSetSpec', 'daemon set'),
  [`${A}DaemonSetSpec`]: object(
    'Desired state of a daemon set.',
    {
      ...podOwner,
      updateStrategy: ['apps.DaemonSetUpdateStrategy', 'How pods are replaced when the template changes.'],
      revisionHistoryLimit: ['i', 'Revisions kept. Defaults to 10.'],
    },
    ['selector', 'template'],
  ),
  [`${A}DaemonSetUpdateStrategy`]: object('How a daemon set replaces pods.', {
    type: ['s', 'RollingUpdate (default) or OnDelete.'],
    rollingUpdate: ['o', 'maxUnavailable and maxSurge.'],
  }),
  [`${A}ControllerRevision`]: object('An immutable snapshot of a workload template.', {
    ...objectHeader,
    data: ['o', 'The snapshot.'],
    revision: ['l', 'Revision number.'],
  }),
  [`${B}Job`]: kind('Runs pods until a number of them succeed.', 'batch.JobSpec', 'job'),
  [`${B}JobSpec`]: object(
    'Desired state of a job.',
    {
      parallelism: ['i', 'Pods running at the same time.'],
      completions: ['i', 'Successful pods needed.'],
      activeDeadlineSeconds: ['l', 'Seconds the job may run.'],
      backoffLimit: ['i', 'Retries before the job fails. Defaults to 6.'],
      backoffLimitPerIndex: ['i', 'Retries per index of an Indexed job.'],
      maxFailedIndexes: ['i', 'Failed indexes before the job fails.'],
      selector: ['meta.LabelSelector', 'Selects the pods of the job; generated unless manualSelector.'],
      manualSelector: ['b', 'Use the given selector instead of a generated one.'],
      template: ['core.PodTemplateSpec', 'The pods to create.'],
      ttlSecondsAfterFinished: ['i', 'Seconds after completion before the job is deleted.'],
      completionMode: ['s', 'NonIndexed (default) or Indexed.'],
      suspend: ['b', 'Stop creating pods.'],
      podFailurePolicy: ['o', 'Rules on pod failures.'],
      successPolicy: ['o', 'Rules for early success of Indexed jobs.'],
      podReplacementPolicy: ['s', 'TerminatingOrFailed or Failed.'],
      managedBy: ['s', 'Controller that manages the job.'],
    },
    ['template'],
  ),
  [`${B}JobTemplateSpec`]: object('Metadata and spec of the jobs a cron job creates.', {
    metadata: ['meta.ObjectMeta', 'Labels and annotations given to every created job.'],
    spec: ['batch.JobSpec', 'Spec of every created job.'],
  }),
  [`${B}CronJob`]: kind('Creates jobs on a schedule.', 'batch.CronJobSpec', 'cron job'),
  [`${B}CronJobSpec`]: object(
    'Desired state of a cron job.',
    {
      schedule: ['s', 'Cron schedule, e.g. "*/5 * * * *".'],
      timeZone: ['s', 'Time zone of the schedule.'],
      startingDeadlineSeconds: ['l', 'Seconds a missed run may still start.'],
      concurrencyPolicy: ['s', 'Allow (default), Forbid or Replace.'],
      suspend: ['b', 'Stop creating jobs.'],
      jobTemplate: ['batch.JobTemplateSpec', 'The jobs to create.'],
      successfulJobsHistoryLimit: ['i', 'Finished jobs kept. Defaults to 3.'],
      failedJobsHistoryLimit: ['i', 'Failed jobs kept. Defaults to 1.'],
    },
    ['schedule', 'jobTemplate'],
  ),
};

