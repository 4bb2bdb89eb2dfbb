// What a pod worker needs from the rest of the agent, as narrow interfaces owned by the consumer.
// Implementations: volumes/ (VolumeManager), container-config.ts (ContainerConfigBuilder),
// status/ (StatusSink), events (EventRecorder), runtime/ (Runtime).
import type { KubeObject } from '../../api/types.js';
import type { ResolvConf } from '../dns/resolv-conf.js';
import type { ContainerConfig, Mount, PullAuth, SandboxConfig } from '../runtime/runtime.js';

export interface EventRecorder {
  /** type Normal|Warning; reason e.g. Pulling, Pulled, Created, Started, Killing, BackOff, Failed, FailedMount */
  event(pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
}

export interface PreparedVolumes {
  /** per container name: its mounts (volumeMounts resolved to host paths, subPath applied) */
  mounts: Record<string, Mount[]>;
  /** per container name: tmpfs mounts (container path → options), e.g. emptyDir medium Memory */
  tmpfs: Record<string, Record<string, string>>;
}

export interface VolumeManager {
  /**
   * Create/refresh the pod's volume directories and files (emptyDir, hostPath checks, configMap,
   * secret on tmpfs, downwardAPI, projected). Idempotent; called on every sync so ConfigMap/Secret
   * changes reach the files. Throws VolumeError (→ FailedMount event) on a missing non-optional source.
   */
  setup(pod: KubeObject, lookup: ObjectLookup): Promise<PreparedVolumes>;
  /** remove everything of a pod uid (unmount tmpfs first) */
  teardown(podUid: string): Promise<void>;
}

export class VolumeError extends Error {}

/** Read access to the ConfigMaps/Secrets/Services the apiserver sent for this node. */
export interface ObjectLookup {
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  /** Services of a namespace, for enableServiceLinks environment variables */
  services(namespace: string): KubeObject[];
}

export interface NodeFacts {
  nodeName: string;
  nodeIp: string;
  /** Docker network for pod sandboxes (undefined = runtime default bridge) */
  podNetwork?: string;
  clusterDns?: string;
  clusterDomain: string;
  /** the node's resolv.conf (dnsPolicy Default, and search domains after the cluster's) */
  hostDns?: ResolvConf;
  /** allocatable, for resourceFieldRef defaults when a container has no limit */
  allocatableCpu: number;
  allocatableMemory: number;
}

export interface ContainerConfigBuilder {
  /** Build the runtime config of one container. Throws CreateContainerConfigError-worthy Error on a missing env source. */
  container(pod: KubeObject, container: KubeObject, kind: 'init' | 'app', restartCount: number, sandboxId: string, podIp: string, volumes: PreparedVolumes, lookup: ObjectLookup, node: NodeFacts): ContainerConfig;
  sandbox(pod: KubeObject, node: NodeFacts): SandboxConfig;
  /** registry credentials from the pod's imagePullSecrets for this image */
  pullAuth(pod: KubeObject, image: string, lookup: ObjectLookup): PullAuth[] | undefined;
  /** stable hash of a container spec (what makes a changed spec restart the container) */
  specHash(container: KubeObject): string;
}

export interface StatusSink {
  /** the latest computed status of a pod; the status manager sends only changes */
  setPodStatus(pod: KubeObject, status: KubeObject['status']): void;
  /** the pod is fully terminated on this node (containers gone): the apiserver may delete it */
  podTerminated(pod: KubeObject): void;
}
