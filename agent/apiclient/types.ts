// The agent's view of the control plane: desired state in, status/events/logs out. Implemented by
// the gRPC client in this folder; the rest of the agent depends only on these interfaces.
import type { KubeObject } from '../../api/types.js';

export type DesiredKind = 'Pod' | 'ConfigMap' | 'Secret' | 'Service' | 'Endpoints';

export interface DesiredChange {
  kind: DesiredKind;
  type: 'upsert' | 'delete';
  object: KubeObject;
}

export interface DesiredState {
  /** pods bound to this node */
  pods(): KubeObject[];
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  services(namespace: string): KubeObject[];
  endpoints(namespace: string, name: string): KubeObject | undefined;
  /** every object of a kind across namespaces (the proxy renders all Services/Endpoints) */
  list(kind: DesiredKind): KubeObject[];
  /** true once the first full snapshot arrived: nothing destructive happens before */
  synced(): boolean;
  /** called after every snapshot (with every object as upsert, then deletes for vanished ones) and delta */
  onChange(cb: (changes: DesiredChange[], snapshot: boolean) => void): () => void;
}

export interface LogRequestInfo {
  sessionId: string;
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps: boolean;
  limitBytes?: number;
}

export interface SessionOutput {
  write(data: Buffer): void;
  /** errorStatus: a meta/v1 Status to show the client (e.g. container not found) */
  end(errorStatus?: Record<string, unknown>): void;
}

export interface ClusterSettings {
  serviceCidr: string;
  clusterCidr: string;
  podCidr: string;
  clusterDns: string;
  clusterDomain: string;
}

export interface ControlPlaneLink {
  readonly desired: DesiredState;
  readonly cluster: ClusterSettings;
  /** versioned outbox: only the latest status per pod uid is kept until sent; resent after reconnect */
  sendPodStatus(pod: KubeObject, status: KubeObject['status'], terminated: boolean): void;
  sendEvent(event: KubeObject): void;
  /** the full Node object as the agent sees itself (metadata.labels, status) */
  sendNodeStatus(node: KubeObject): void;
  renewLease(): void;
  onLogRequest(handler: (req: LogRequestInfo, out: SessionOutput, signal: AbortSignal) => void): void;
  connected(): boolean;
  close(): Promise<void>;
}
