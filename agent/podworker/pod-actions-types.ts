// The shapes of a pod plan (what computePodActions returns) and of its inputs.
import type { BackoffView } from './backoff.js';

export type KillReason = 'spec changed' | 'failed liveness probe' | 'failed startup probe' | 'unknown state';

export interface ContainerToStart {
  container: any;
  kind: 'init' | 'app';
  restartCount: number;
  reason: 'first start' | 'restart' | 'spec changed' | 'probe failure' | 'new sandbox';
  /** finish time of the exited instance this one replaces: sync-pod advances the crash back-off */
  previousFinishedAt?: number;
}

export interface ContainerToKill {
  id: string;
  name: string;
  reason: KillReason;
  /** Killing event text, e.g. "Container app failed liveness probe, will be restarted" */
  message: string;
  graceSeconds: number;
}

export interface BackoffWait {
  container: string;
  until: number;
  delaySec: number;
  /** CrashLoopBackOff waiting message, kubelet's wording */
  message: string;
}

export interface PodActions {
  /** stop every container and the sandbox (pod deleted, sandbox changed, pod finished) */
  killPod: boolean;
  killGraceSeconds: number;
  createSandbox: boolean;
  sandboxAttempt: number;
  /** the usable sandbox when it is kept */
  sandboxId?: string;
  podIp?: string;
  nextInitContainer?: ContainerToStart;
  initFailed?: { container: string; exitCode: number };
  containersToStart: ContainerToStart[];
  containersToKill: ContainerToKill[];
  backoff: BackoffWait[];
  /** activeDeadlineSeconds passed: everything is killed and the pod fails with DeadlineExceeded */
  deadlineExceeded: boolean;
  /** nothing will ever be started again for this pod (deleted, failed, completed) */
  terminal: boolean;
}

export type ProbeResult = 'success' | 'failure' | 'unknown';

export interface PodActionsContext {
  now: number;
  backoff: BackoffView;
  specHash(container: any): string;
  /** containerName → liveness result; the prober resets it when a new container id appears */
  liveness?: ReadonlyMap<string, ProbeResult>;
  /** containerName → startup result ('failure' = failureThreshold reached) */
  startup?: ReadonlyMap<string, ProbeResult>;
}
