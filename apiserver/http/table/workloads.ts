// Rows for the apps, batch and policy kinds, after kubectl's printers (1.32).

import type { KubeObject } from '../../../api/types.js';
import {
  CONTAINERS_DESC,
  IMAGES_DESC,
  age,
  ageCol,
  col,
  containerCells,
  formatLabelSelector,
  formatLabels,
  humanDuration,
  int,
  nameCol,
  nameOf,
  printBool,
  selectorString,
  since,
  timeOf,
  wide,
  type Printer,
} from './format.js';

const templateContainers = (obj: KubeObject): [string, string] => containerCells(obj.spec?.template?.spec?.containers);
const replicas = (obj: KubeObject): number => int(obj.spec?.replicas, 1);

export const deploymentPrinter: Printer = {
  columns: [
    nameCol(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageCol(),
    wide('Containers', CONTAINERS_DESC),
    wide('Images', IMAGES_DESC),
    wide('Selector', 'Label selector for pods.'),
  ],
  cells(obj, now) {
    const s = obj.status ?? {};
    const sel = selectorString(obj.spec?.selector);
    return [
      nameOf(obj),
      `${int(s.readyReplicas)}/${replicas(obj)}`,
      int(s.updatedReplicas),
      int(s.availableReplicas),
      age(obj, now),
      ...templateContainers(obj),
      sel === undefined ? '<invalid>' : sel,
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameCol(),
    col('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    ageCol(),
    wide('Containers', CONTAINERS_DESC),
    wide('Images', IMAGES_DESC),
    wide('Selector', 'Selector is a label query over pods that should match the replica count.'),
  ],
  cells(obj, now) {
    const s = obj.status ?? {};
    return [
      nameOf(obj),
      replicas(obj),
      int(s.replicas),
      int(s.readyReplicas),
      age(obj, now),
      ...templateContainers(obj),
      formatLabelSelector(obj.spec?.selector),
    ];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [
    nameCol(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    ageCol(),
    wide('Containers', CONTAINERS_DESC),
    wide('Images', IMAGES_DESC),
  ],
  cells(obj, now) {
    return [nameOf(obj), `${int(obj.status?.readyReplicas)}/${replicas(obj)}`, age(obj, now), ...templateContainers(obj)];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameCol(),
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    col('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
    col('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageCol(),
    wide('Containers', CONTAINERS_DESC),
    wide('Images', IMAGES_DESC),
    wide('Selector', 'A label query over pods that are managed by the daemon set.'),
  ],
  cells(obj, now) {
    const s = obj.status ?? {};
    return [
      nameOf(obj),
      int(s.desiredNumberScheduled),
      int(s.currentNumberScheduled),
      int(s.numberReady),
      int(s.updatedNumberScheduled),
      int(s.numberAvailable),
      formatLabels(obj.spec?.template?.spec?.nodeSelector),
      age(obj, now),
      ...templateContainers(obj),
      formatLabelSelector(obj.spec?.selector),
    ];
  },
};

const hasJobCondition = (obj: KubeObject, type: string): boolean => {
  const c = (obj.status?.conditions ?? []).find((x: { type: string }) => x.type === type);
  return c?.status === 'True';
};

/** The 1.32 job STATUS column, in kubectl's precedence order. */
export function jobStatus(obj: KubeObject): string {
  if (hasJobCondition(obj, 'Complete')) return 'Complete';
  if (hasJobCondition(obj, 'Failed')) return 'Failed';
  if (obj.metadata?.deletionTimestamp) return 'Terminating';
  if (hasJobCondition(obj, 'Suspended')) return 'Suspended';
  if (hasJobCondition(obj, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobPrinter: Printer = {
  columns: [
    nameCol(),
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageCol(),
    wide('Containers', CONTAINERS_DESC),
    wide('Images', IMAGES_DESC),
    wide('Selector', 'A label query over pods that should match the pod count.'),
  ],
  cells(obj, now) {
    const spec = obj.spec ?? {};
    const st = obj.status ?? {};
    const succeeded = int(st.succeeded);
    let completions: string;
    if (spec.completions !== undefined && spec.completions !== null) {
      completions = `${succeeded}/${int(spec.completions)}`;
    } else {
      const parallelism = int(spec.parallelism);
      completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    }
    const start = timeOf(st.startTime);
    const end = timeOf(st.completionTime);
    const duration = start === undefined ? '' : humanDuration((end ?? now.getTime()) - start);
    return [
      nameOf(obj),
      jobStatus(obj),
      completions,
      duration,
      age(obj, now),
      ...templateContainers(obj),
      formatLabelSelector(spec.selector),
    ];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    nameCol(),
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageCol(),
    wide('Containers', CONTAINERS_DESC),
    wide('Images', IMAGES_DESC),
    wide('Selector', 'A label query over pods that should match the pod count.'),
  ],
  cells(obj, now) {
    const spec = obj.spec ?? {};
    const jobSpec = spec.jobTemplate?.spec ?? {};
    const last = obj.status?.lastScheduleTime ? since(obj.status.lastScheduleTime, now) : '<none>';
    return [
      nameOf(obj),
      spec.schedule ?? '',
      spec.timeZone || '<none>',
      // The real API defaults suspend to false, so an absent field prints False.
      printBool(spec.suspend),
      (obj.status?.active ?? []).length,
      last,
      age(obj, now),
      ...containerCells(jobSpec.template?.spec?.containers),
      formatLabelSelector(jobSpec.selector),
    ];
  },
};

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameCol(),
    col('Controller', 'string', 'Controller of the object'),
    col('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'),
    ageCol(),
  ],
  cells(obj, now) {
    const ref = (obj.metadata?.ownerReferences ?? []).find((r) => r.controller);
    let controller = '<none>';
    if (ref) {
      // schema.GroupKind.String(): "Kind.group", or just "Kind" for the core group.
      const slash = ref.apiVersion.indexOf('/');
      const group = slash >= 0 ? ref.apiVersion.slice(0, slash) : '';
      const gk = group ? `${ref.kind}.${group}` : ref.kind;
      controller = gk ? `${gk.toLowerCase()}/${ref.name}` : ref.name;
    }
    return [nameOf(obj), controller, int(obj.revision), age(obj, now)];
  },
};

/** IntOrString.String(): numbers print as-is, strings (percentages) too. */
const intOrString = (v: unknown): string => (v === undefined || v === null ? 'N/A' : String(v));

export const pdbPrinter: Printer = {
  columns: [
    nameCol(),
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageCol(),
  ],
  cells(obj, now) {
    return [
      nameOf(obj),
      intOrString(obj.spec?.minAvailable),
      intOrString(obj.spec?.maxUnavailable),
      int(obj.status?.disruptionsAllowed),
      age(obj, now),
    ];
  },
};
