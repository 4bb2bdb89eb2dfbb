// An in-memory ControlPlaneLink for agent integration tests: desired state from the real
// DesiredStore (with a switchable synced gate, so tests sharing the test dockerd never let the agent
// kill containers it does not know), recorded statuses/events, and log sessions on demand.
import type { KubeObject } from '../../../api/types.js';
import { DesiredStore, desiredView } from '../../../agent/apiclient/desired-state.js';
import type { ClusterSettings, ControlPlaneLink, DesiredChange, DesiredState, LogRequestInfo, SessionOutput } from '../../../agent/apiclient/types.js';

export class FakeLink implements ControlPlaneLink {
  readonly store = new DesiredStore();
  gateOpen = false;
  readonly statuses: { uid: string; status: any; terminated: boolean }[] = [];
  readonly events: KubeObject[] = [];
  private logHandler?: (req: LogRequestInfo, out: SessionOutput, signal: AbortSignal) => void;
  closed = false;
  readonly desired: DesiredState;
  private rev = 0;

  constructor(readonly cluster: ClusterSettings) {
    this.desired = desiredView(this.store, () => this.gateOpen && this.store.synced());
  }

  snapshot(objects: { kind: DesiredChange['kind']; object: KubeObject }[]): void {
    this.store.applySnapshot(objects.map((o) => ({ ...o, type: 'upsert' as const })), ++this.rev);
  }

  upsert(kind: DesiredChange['kind'], object: KubeObject): void {
    this.store.applyDelta([{ kind, type: 'upsert', object }], ++this.rev);
  }

  remove(kind: DesiredChange['kind'], object: KubeObject): void {
    this.store.applyDelta([{ kind, type: 'delete', object }], ++this.rev);
  }

  sendPodStatus(pod: KubeObject, status: KubeObject['status'], terminated: boolean): void {
    this.statuses.push({ uid: pod.metadata.uid!, status, terminated });
  }
  sendEvent(event: KubeObject): void {
    this.events.push(event);
  }
  sendNodeStatus(): void {}
  renewLease(): void {}
  onLogRequest(handler: (req: LogRequestInfo, out: SessionOutput, signal: AbortSignal) => void): void {
    this.logHandler = handler;
  }
  connected(): boolean {
    return !this.closed;
  }
  async close(): Promise<void> {
    this.closed = true;
  }

  lastStatus(uid: string): any {
    for (let i = this.statuses.length - 1; i >= 0; i--) if (this.statuses[i]!.uid === uid) return this.statuses[i]!.status;
    return undefined;
  }

  /** run a log request to completion (or until abort) and return what was written */
  logs(req: Partial<LogRequestInfo> & { namespace: string; pod: string }, signal = new AbortController().signal): Promise<{ text: string; error?: Record<string, unknown> }> {
    return new Promise((resolve) => {
      const parts: Buffer[] = [];
      this.logHandler!(
        { sessionId: 's', container: '', follow: false, previous: false, timestamps: false, ...req },
        { write: (b) => parts.push(b), end: (error) => resolve({ text: Buffer.concat(parts).toString('utf8'), error }) },
        signal,
      );
    });
  }
}
