import { describe, expect, it } from 'vitest';
import { calculateStatus, isComplete, pausedCondition, rolloutStatus, untilDeadlineMs } from '../../../../apiserver/controllers/deployment-status.js';
import { deployment, rs, T } from './builders.js';

const cond = (s: any, type: string) => s.conditions.find((c: any) => c.type === type);

describe('deployment status', () => {
  it('sums the ReplicaSets the way kubectl rollout status reads them', () => {
    const d = deployment({ replicas: 4, generation: 3 });
    const cur = rs('new', { replicas: 2, status: { replicas: 2, readyReplicas: 1, availableReplicas: 1 } });
    const old = rs('old', { replicas: 3, status: { replicas: 3, readyReplicas: 3, availableReplicas: 3 } });
    const s = calculateStatus(d, cur, [cur, old], T(0));
    expect(s).toMatchObject({ observedGeneration: 3, replicas: 5, updatedReplicas: 2, readyReplicas: 4, availableReplicas: 4, unavailableReplicas: 1 });
    expect(cond(s, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    const low = calculateStatus(d, cur, [cur], T(0));
    expect(cond(low, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
  });

  it('Progressing: ReplicaSetUpdated while moving, NewReplicaSetAvailable when complete', () => {
    const d = deployment({ replicas: 2, status: { replicas: 2, updatedReplicas: 0, availableReplicas: 2, conditions: [] } });
    const moving = rs('new', { replicas: 1, status: { replicas: 1, availableReplicas: 0 } });
    const s1 = rolloutStatus(d, moving, [moving, rs('old', { replicas: 2, status: { replicas: 2, availableReplicas: 2 } })], T(0));
    expect(cond(s1, 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "new" is progressing.' });
    const done = rs('new', { replicas: 2, status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 } });
    const s2 = rolloutStatus({ ...d, status: s1 }, done, [done], T(5));
    expect(isComplete(d, s2)).toBe(true);
    expect(cond(s2, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "new" has successfully progressed.' });
    expect(untilDeadlineMs(d, s2, T(5))).toBeUndefined();
  });

  it('ProgressDeadlineExceeded once nothing moved for progressDeadlineSeconds', () => {
    const stuckRs = rs('new', { replicas: 1, status: { replicas: 1, availableReplicas: 0 } });
    const prev = { replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: '', lastUpdateTime: T(0).toISOString(), lastTransitionTime: T(0).toISOString() }] };
    const d = deployment({ replicas: 1, deadline: 30, status: prev });
    expect(cond(rolloutStatus(d, stuckRs, [stuckRs], T(20)), 'Progressing').reason).toBe('ReplicaSetUpdated');
    expect(untilDeadlineMs(d, rolloutStatus(d, stuckRs, [stuckRs], T(20)), T(20))).toBe(10_100);
    const late = rolloutStatus(d, stuckRs, [stuckRs], T(31));
    expect(cond(late, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "new" has timed out progressing.' });
  });

  it('pause and resume show as Progressing Unknown', () => {
    const d = deployment({ paused: true, status: { conditions: [] } });
    expect(pausedCondition(d, d.status, T(0))).toBe(true);
    expect(cond(d.status, 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    expect(pausedCondition(d, d.status, T(1))).toBe(false);
    d.spec.paused = false;
    expect(pausedCondition(d, d.status, T(2))).toBe(true);
    expect(cond(d.status, 'Progressing').reason).toBe('DeploymentResumed');
  });
});
