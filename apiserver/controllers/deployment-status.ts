// Deployment status and conditions, pure (calculateStatus, syncRolloutStatus, checkPausedConditions
// of Kubernetes): the fields `kubectl rollout status` reads, Available, and Progressing with its
// deadline.
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { maxUnavailable, replicasOf, sumSpec, sumStatus } from './deployment-util.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export const REASON = {
  created: 'NewReplicaSetCreated',
  found: 'FoundNewReplicaSet',
  updated: 'ReplicaSetUpdated',
  available: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
} as const;

/** spec.progressDeadlineSeconds of MaxInt32 means "no deadline" (HasProgressDeadline). */
export const hasProgressDeadline = (d: KubeObject): boolean => {
  const s = d.spec?.progressDeadlineSeconds;
  return typeof s === 'number' && s !== 2147483647;
};

export const getCondition = (status: any, type: string): Condition | undefined => (status?.conditions ?? []).find((c: Condition) => c.type === type);

/** SetDeploymentCondition: same status and reason change nothing; same status keeps the transition time. */
export function setCondition(status: any, c: Condition, now: Date): void {
  const conds: Condition[] = status.conditions ?? [];
  const cur = conds.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const t = nowRfc3339(now);
  const next: Condition = { ...c, lastUpdateTime: c.lastUpdateTime ?? t, lastTransitionTime: cur && cur.status === c.status ? cur.lastTransitionTime : (c.lastTransitionTime ?? t) };
  status.conditions = [...conds.filter((x) => x.type !== c.type), next];
}

export function calculateStatus(d: KubeObject, newRS: KubeObject | undefined, allRSs: KubeObject[], now: Date): any {
  const available = sumStatus(allRSs, 'availableReplicas');
  const status: any = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sumStatus(allRSs, 'replicas'),
    updatedReplicas: newRS ? (newRS.status?.replicas ?? 0) : 0,
    readyReplicas: sumStatus(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumSpec(allRSs) - available),
    conditions: structuredClone(d.status?.conditions ?? []),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= replicasOf(d) - maxUnavailable(d))
    setCondition(status, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }, now);
  else setCondition(status, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, now);
  return status;
}

/** DeploymentComplete: every replica updated and available, nothing old left, the spec observed. */
export function isComplete(d: KubeObject, s: any): boolean {
  const n = replicasOf(d);
  return s.updatedReplicas === n && s.replicas === n && s.availableReplicas === n && s.observedGeneration >= (d.metadata.generation ?? 1);
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than last time. */
export function isProgressing(d: KubeObject, s: any): boolean {
  const o = d.status ?? {};
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = s.replicas - s.updatedReplicas;
  return s.updatedReplicas > (o.updatedReplicas ?? 0) || newOld < oldOld || s.readyReplicas > (o.readyReplicas ?? 0) || s.availableReplicas > (o.availableReplicas ?? 0);
}

export function isTimedOut(d: KubeObject, s: any, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === REASON.available) return false;
  if (c.reason === REASON.timedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return Number.isFinite(from) && from + d.spec.progressDeadlineSeconds * 1000 < now.getTime();
}

/** The status after a rollout step: calculateStatus plus the Progressing condition. */
export function rolloutStatus(d: KubeObject, newRS: KubeObject | undefined, allRSs: KubeObject[], now: Date): any {
  const s = calculateStatus(d, newRS, allRSs, now);
  if (!hasProgressDeadline(d)) {
    s.conditions = s.conditions.filter((c: Condition) => c.type !== 'Progressing');
    return s;
  }
  const cur = getCondition(s, 'Progressing');
  const settled = s.replicas === s.updatedReplicas && cur?.reason === REASON.available;
  if (settled || !newRS) return s;
  const name = newRS.metadata.name;
  if (isComplete(d, s)) {
    setCondition(s, { type: 'Progressing', status: 'True', reason: REASON.available, message: `ReplicaSet "${name}" has successfully progressed.` }, now);
  } else if (isProgressing(d, s)) {
    // a progressing rollout refreshes lastUpdateTime: that is what the deadline counts from
    const t = nowRfc3339(now);
    s.conditions = s.conditions.filter((c: Condition) => c.type !== 'Progressing');
    s.conditions.push({
      type: 'Progressing', status: 'True', reason: REASON.updated, message: `ReplicaSet "${name}" is progressing.`,
      lastUpdateTime: t, lastTransitionTime: cur?.status === 'True' ? cur.lastTransitionTime : t,
    });
  } else if (isTimedOut(d, s, now)) {
    setCondition(s, { type: 'Progressing', status: 'False', reason: REASON.timedOut, message: `ReplicaSet "${name}" has timed out progressing.` }, now);
  }
  return s;
}

/** ms until the Progressing deadline of a rollout that is still under way (requeueStuckDeployment). */
export function untilDeadlineMs(d: KubeObject, s: any, now: Date): number | undefined {
  const c = getCondition(s, 'Progressing');
  if (!hasProgressDeadline(d) || !c || isComplete(d, s) || c.reason === REASON.timedOut || c.reason === REASON.paused) return undefined;
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (!Number.isFinite(from)) return undefined;
  return Math.max(0, from + d.spec.progressDeadlineSeconds * 1000 - now.getTime()) + 100;
}

/** checkPausedConditions: Progressing Unknown with DeploymentPaused / DeploymentResumed. */
export function pausedCondition(d: KubeObject, status: any, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(status, 'Progressing');
  if (c?.reason === REASON.timedOut) return false;
  const pausedCond = c?.reason === REASON.paused;
  if (d.spec?.paused && !pausedCond) setCondition(status, { type: 'Progressing', status: 'Unknown', reason: REASON.paused, message: 'Deployment is paused' }, now);
  else if (!d.spec?.paused && pausedCond) setCondition(status, { type: 'Progressing', status: 'Unknown', reason: REASON.resumed, message: 'Deployment is resumed' }, now);
  else return false;
  return true;
}

/** Status worth writing: anything but condition timestamps differs. */
export function statusDiffers(a: any, b: any): boolean {
  return JSON.stringify(a ?? {}) !== JSON.stringify(b ?? {});
}
