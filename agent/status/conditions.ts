// Pod conditions the kubelet owns (PodReadyToStartContainers, Initialized, ContainersReady, Ready),
// with the kubelet's reasons and messages; readiness gates read the pod's own conditions.
import type { KubeObject } from '../../api/types.js';
import { hasAnyRegularContainerStarted, type PodPhase } from './phase.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

export const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

const byName = (list: any[] | undefined, name: string): any => list?.find((s) => s?.name === name);
/** Go's %s of a []string: "[a b]" */
const goList = (names: string[]): string => `[${names.join(' ')}]`;

export function initializedCondition(spec: any, initStatuses: any[], statuses: any[], phase: PodPhase): Condition {
  const inits: any[] = spec?.initContainers ?? [];
  if (inits.length === 0) return { type: 'Initialized', status: 'True' };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = byName(initStatuses, c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    if (c.restartPolicy === 'Always' && s.started) continue;
    if (!s.state?.terminated || s.state.terminated.exitCode !== 0) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (hasAnyRegularContainerStarted(spec, statuses)) return { type: 'Initialized', status: 'True' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (msgs.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: msgs.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

export function containersReadyCondition(spec: any, initStatuses: any[], statuses: any[], phase: PodPhase): Condition {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of spec?.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    const s = byName(initStatuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  for (const c of spec?.containers ?? []) {
    const s = byName(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed' && unknown.length === 0) return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${goList(unready)}`);
  if (msgs.length) return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: msgs.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

/** Ready = ContainersReady and every readiness gate's condition True (from the pod's conditions). */
export function readyCondition(pod: KubeObject, containersReady: Condition): Condition {
  if (containersReady.status !== 'True') {
    return { type: 'Ready', status: containersReady.status, reason: containersReady.reason, message: containersReady.message };
  }
  const conds: any[] = pod.status?.conditions ?? [];
  const msgs: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const t = gate?.conditionType;
    const c = conds.find((x) => x?.type === t);
    if (!c) msgs.push(`corresponding condition of pod readiness gate "${t}" does not exist.`);
    else if (c.status !== 'True') msgs.push(`the status of pod readiness gate "${t}" is not "True", but ${c.status}`);
  }
  if (msgs.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: msgs.join(', ') };
  return { type: 'Ready', status: 'True' };
}

/**
 * Keep lastTransitionTime when a condition's status did not change, stamp now when it did; conditions
 * the kubelet does not own (readiness gates, DisruptionTarget) are carried unchanged.
 */
export function mergeConditions(old: any[] | undefined, owned: Condition[], now: string): Condition[] {
  const prev = new Map<string, any>((old ?? []).map((c) => [c?.type, c]));
  const out: Condition[] = owned.map((c) => {
    const p = prev.get(c.type);
    const lastTransitionTime = p && p.status === c.status && p.lastTransitionTime ? p.lastTransitionTime : now;
    const merged: Condition = { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime };
    if (c.reason) merged.reason = c.reason;
    if (c.message) merged.message = c.message;
    return merged;
  });
  const ownedTypes = new Set(owned.map((c) => c.type));
  for (const c of old ?? []) if (c && !ownedTypes.has(c.type)) out.push(c);
  return out;
}
