// The pod as the planner should see it: the worker's newest generated status (the apiserver's copy
// lags behind our own updates) plus the conditions the kubelet does not own (readiness gates), and
// a terminal phase from the apiserver always wins.
import type { KubeObject } from '../../api/types.js';
import { KUBELET_CONDITIONS } from '../status/conditions.js';

export function planningView(pod: KubeObject, lastStatus: Record<string, any> | undefined): KubeObject {
  if (!lastStatus) return pod;
  const foreign = (pod.status?.conditions ?? []).filter((c: any) => !KUBELET_CONDITIONS.includes(c?.type));
  const mine = (lastStatus.conditions ?? []).filter((c: any) => KUBELET_CONDITIONS.includes(c?.type));
  const apiPhase = pod.status?.phase;
  const phase = apiPhase === 'Succeeded' || apiPhase === 'Failed' ? apiPhase : lastStatus.phase;
  return { ...pod, status: { ...pod.status, ...lastStatus, phase, conditions: [...mine, ...foreign] } };
}
