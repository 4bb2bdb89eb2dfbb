// An in-memory ControlPlaneLink for benchmarks that run the agent in-process: desired pods in the
// real DesiredStore (synced gate closed, so the agent never touches containers it does not know),
// the latest status per pod kept, events counted.
import type { KubeObject } from '../../api/types.js';
import { DesiredStore, desiredView } from '../../agent/apiclient/desired-state.js';
import type { ClusterSettings, ControlPlaneLink, DesiredState } from '../../agent/apiclient/types.js';

export class MemoryLink implements ControlPlaneLink {
  private readonly store = new DesiredStore();
  private rev = 0;
  readonly statuses = new Map<string, any>();
  events = 0;
  readonly desired: DesiredState;

  constructor(readonly cluster: ClusterSettings) {
    this.desired = desiredView(this.store, () => false);
    this.store.applySnapshot([], ++this.rev);
  }

  upsert(pods: KubeObject[]): void {
    this.store.applyDelta(pods.map((object) => ({ kind: 'Pod' as const, type: 'upsert' as const, object })), ++this.rev);
  }
  remove(pods: KubeObject[]): void {
    this.store.applyDelta(pods.map((object) => ({ kind: 'Pod' as const, type: 'delete' as const, object })), ++this.rev);
  }
  sendPodStatus(pod: KubeObject, status: KubeObject['status']): void {
    this.statuses.set(pod.metadata.uid!, status);
  }
  sendEvent(): void {
    this.events++;
  }
  sendNodeStatus(): void {}
  renewLease(): void {}
  onLogRequest(): void {}
  connected(): boolean {
    return true;
  }
  async close(): Promise<void> {}
}
