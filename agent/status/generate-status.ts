// The pod status as a pure function of (pod, runtime state, probe results, last sync results), as
// the kubelet's generateAPIPodStatus: phase, conditions, container statuses, IPs, startTime, QoS.
import { computeQosClass } from '../../api/pod-qos.js';
import { nowRfc3339, type KubeObject } from '../../api/types.js';
import { readySandbox } from '../podworker/instances.js';
import type { RuntimePod } from '../runtime/runtime.js';
import { containersReadyCondition, initializedCondition, mergeConditions, readyCondition, type Condition } from './conditions.js';
import { containerStatuses, type ContainerStatusContext } from './container-statuses.js';
import { getPhase } from './phase.js';

export interface StatusContext extends ContainerStatusContext {
  now: number;
  hostIP?: string;
  podIP?: string;
  /** a pod-level failure decided by the worker, e.g. { reason: 'DeadlineExceeded', message } */
  failure?: { reason: string; message: string };
  /** the pod is being torn down for good: no container will restart */
  podIsTerminal?: boolean;
}

export function generatePodStatus(pod: KubeObject, rp: RuntimePod | undefined, ctx: StatusContext): Record<string, any> {
  const old = pod.status ?? {};
  const now = nowRfc3339(new Date(ctx.now));
  const initStatuses = containerStatuses(pod, 'init', rp, ctx);
  const statuses = containerStatuses(pod, 'app', rp, ctx);

  // 1. Phase: terminal phases never go back; a pod-level failure wins.
  let phase = getPhase(pod, initStatuses, statuses, ctx.podIsTerminal);
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase;
  const status: Record<string, any> = {};
  if (ctx.failure) {
    phase = 'Failed';
    status.reason = ctx.failure.reason;
    status.message = ctx.failure.message;
  } else if (old.phase === 'Failed' && old.reason) {
    status.reason = old.reason;
    if (old.message) status.message = old.message;
  }
  status.phase = phase;

  // 2. Conditions.
  const sandboxReady = !!readySandbox(pod, rp);
  const containersReady = containersReadyCondition(pod.spec, initStatuses, statuses, phase);
  const owned: Condition[] = [
    { type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' },
    initializedCondition(pod.spec, initStatuses, statuses, phase),
    readyCondition(pod, containersReady),
    containersReady,
  ];
  const scheduled = (old.conditions ?? []).find((c: any) => c?.type === 'PodScheduled');
  if (!scheduled) owned.push({ type: 'PodScheduled', status: 'True' });
  status.conditions = mergeConditions(old.conditions, owned, now);

  // 3. Addresses and times.
  if (ctx.hostIP) {
    status.hostIP = ctx.hostIP;
    status.hostIPs = [{ ip: ctx.hostIP }];
  }
  const podIP = ctx.podIP ?? (pod.spec?.hostNetwork ? ctx.hostIP : undefined) ?? old.podIP;
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  status.startTime = old.startTime ?? now;

  // 4. Container statuses and QoS.
  if ((pod.spec?.initContainers ?? []).length > 0) status.initContainerStatuses = initStatuses;
  status.containerStatuses = statuses;
  status.qosClass = old.qosClass ?? computeQosClass(pod.spec);
  return status;
}
