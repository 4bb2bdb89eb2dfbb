// What sync-pod / terminate-pod need and what a sync hands to the status generator.
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../lib/logger.js';
import type { Runtime } from '../runtime/runtime.js';
import type { WaitingReason } from '../status/container-statuses.js';
import type { BackoffTable } from './backoff.js';
import type { ContainerConfigBuilder, EventRecorder, NodeFacts, ObjectLookup, VolumeManager } from './deps.js';
import type { ProbeResult } from './pod-actions.js';

/** Lifecycle hook points (agent/prober/lifecycle-hooks.ts). podIp: the httpGet default host. */
export interface LifecycleHooks {
  /** runs right after a container started; a throw kills the container (FailedPostStartHook) */
  postStart?(pod: KubeObject, container: any, containerId: string, signal?: AbortSignal, podIp?: string): Promise<void>;
  /** runs before the stop signal, inside the grace period; its duration is taken from the grace */
  preStop?(pod: KubeObject, container: any, containerId: string, graceSeconds: number, signal?: AbortSignal, podIp?: string): Promise<void>;
}

/** Probe results of one pod as the prober (issue 4) keeps them, keyed by container name. */
export interface ProbeView {
  liveness(podUid: string): ReadonlyMap<string, ProbeResult>;
  startup(podUid: string): ReadonlyMap<string, ProbeResult>;
  /** readiness → ready */
  readiness(podUid: string): ReadonlyMap<string, boolean>;
}

export interface SyncDeps {
  runtime: Runtime;
  volumes: VolumeManager;
  configs: ContainerConfigBuilder;
  events: EventRecorder;
  lookup: ObjectLookup;
  node: NodeFacts;
  backoff: BackoffTable;
  /** ms epoch (injectable clock) */
  now(): number;
  log: Logger;
  /** make sure the node's pod network exists before a sandbox joins it (NodeFacts.podNetwork) */
  ensurePodNetwork?(): Promise<void>;
  /** a sandbox on the pod network just started (hairpin mode for its bridge port; not awaited) */
  sandboxStarted?(): void;
  hooks?: LifecycleHooks;
  probes?: ProbeView;
}

export interface SyncResult {
  /** containerName → why it is not running (ErrImagePull, CrashLoopBackOff, ...) */
  waitingReasons: Map<string, WaitingReason>;
  podIP?: string;
  /** pod-level failure, e.g. DeadlineExceeded */
  failure?: { reason: string; message: string };
  /** nothing will start again (completed, failed, deleted) */
  terminal: boolean;
  /** earliest ms epoch when a back-off ends: the worker resyncs then */
  retryAt?: number;
}

export const fieldPath = (kind: 'init' | 'app', name: string): string =>
  kind === 'init' ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function retryAt(result: SyncResult, at: number): void {
  result.retryAt = result.retryAt === undefined ? at : Math.min(result.retryAt, at);
}
