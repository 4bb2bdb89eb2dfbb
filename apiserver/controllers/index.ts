// Starts the in-process controllers. Each one is a runController() over the Registry; more join
// this list as they are written.
import type { Logger } from '../../lib/logger.js';
import type { Registry } from '../registry/types.js';
import { startEndpointsController } from './endpoints-controller.js';
import { startEndpointSliceController } from './endpointslice-controller.js';
import { startDeploymentController } from './deployment-controller.js';
import { startGarbageCollector } from './garbage-collector.js';
import { startCronJobController } from './cronjob-controller.js';
import { startDaemonSetController } from './daemonset-controller.js';
import { startDisruptionController } from './disruption-controller.js';
import { startJobController } from './job-controller.js';
import { startLocalProvisioner } from './local-provisioner.js';
import { startNamespaceController } from './namespace-controller.js';
import { startNodeLifecycleController } from './node-lifecycle-controller.js';
import { startReplicaSetController } from './replicaset-controller.js';
import type { ControllerHandle } from './run-controller.js';
import { startTaintEvictionController } from './taint-eviction.js';
import { startStatefulSetController } from './statefulset-controller.js';

/** The part of the apiserver config controllers read (ApiserverConfig fits it). */
export interface ControllersConfig {
  /** periodic resync of every controller's keys; default 5 minutes */
  resyncMs?: number;
  /** for the node IPAM controller (podCIDRs), coming later */
  clusterCidr?: string;
  serviceCidr?: string;
  /** for the node lifecycle controller: silence before a node is marked Unknown (default 40 s) */
  nodeMonitorGracePeriodMs?: number;
  /** for NoExecute taint eviction: tolerationSeconds of pods without their own (default 300) */
  defaultNotReadyTolerationSeconds?: number;
  defaultUnreachableTolerationSeconds?: number;
}

export interface RunningControllers {
  controllers: Record<string, ControllerHandle>;
  /** true once every controller's watches delivered their initial listing */
  hasSynced(): boolean;
  /** resolves when every controller's workers returned (after the signal aborts) */
  done: Promise<void>;
}

export function startControllers(registry: Registry, cfg: ControllersConfig, ctx: { log: Logger; signal: AbortSignal }): RunningControllers {
  const controllers: Record<string, ControllerHandle> = {
    namespace: startNamespaceController(registry, { signal: ctx.signal, log: ctx.log, resyncMs: cfg.resyncMs }),
    nodeLifecycle: startNodeLifecycleController(registry, {
      gracePeriodMs: cfg.nodeMonitorGracePeriodMs ?? 40_000,
      signal: ctx.signal,
      log: ctx.log,
    }),
    endpoints: startEndpointsController(registry, { signal: ctx.signal, log: ctx.log, resyncMs: cfg.resyncMs }),
    endpointSlice: startEndpointSliceController(registry, { signal: ctx.signal, log: ctx.log, resyncMs: cfg.resyncMs }),
    replicaSet: startReplicaSetController(registry, { signal: ctx.signal, log: ctx.log, resyncMs: cfg.resyncMs }),
    deployment: startDeploymentController(registry, { signal: ctx.signal, log: ctx.log, resyncMs: cfg.resyncMs }),
    garbageCollector: startGarbageCollector(registry, { signal: ctx.signal, log: ctx.log, resyncMs: cfg.resyncMs }),
    job: startJobController(registry, { signal: ctx.signal, log: ctx.log }),
    cronJob: startCronJobController(registry, { signal: ctx.signal, log: ctx.log }),
    daemonSet: startDaemonSetController(registry, { signal: ctx.signal, log: ctx.log }),
    statefulSet: startStatefulSetController(registry, { signal: ctx.signal, log: ctx.log }),
    localProvisioner: startLocalProvisioner(registry, { signal: ctx.signal, log: ctx.log }),
    disruption: startDisruptionController(registry, { signal: ctx.signal, log: ctx.log }),
    taintEviction: startTaintEvictionController(registry, {
      defaults: { notReadySeconds: cfg.defaultNotReadyTolerationSeconds ?? 300, unreachableSeconds: cfg.defaultUnreachableTolerationSeconds ?? 300 },
      startupDelayMs: cfg.nodeMonitorGracePeriodMs ?? 40_000,
      signal: ctx.signal,
      log: ctx.log,
    }),
  };
  const all = Object.values(controllers);
  return {
    controllers,
    hasSynced: () => all.every((c) => c.hasSynced()),
    done: Promise.all(all.map((c) => c.done)).then(() => undefined),
  };
}
