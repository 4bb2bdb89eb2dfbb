// Shared builders and recording fakes for pod worker tests.
import { pino } from 'pino';
import type { KubeObject } from '../../../../api/types.js';
import { BackoffTable } from '../../../../agent/podworker/backoff.js';
import type { ContainerConfigBuilder, EventRecorder, NodeFacts, ObjectLookup, PreparedVolumes, VolumeManager } from '../../../../agent/podworker/deps.js';
import type { SyncDeps } from '../../../../agent/podworker/sync-types.js';
import type { RuntimeContainer, RuntimePod } from '../../../../agent/runtime/runtime.js';
import { FakeRuntime } from '../../../fakes/fake-runtime.js';

export const T0 = Date.parse('2024-01-01T00:00:00Z');
export const iso = (ms: number): string => new Date(ms).toISOString();

export function makePod(spec: Record<string, any> = {}, meta: Record<string, any> = {}, status?: Record<string, any>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1', ...meta },
    spec: { containers: [{ name: 'app', image: 'img:1', imagePullPolicy: 'IfNotPresent' }], ...spec },
    ...(status ? { status } : {}),
  };
}

/** spec hash used by the fake config builder: the image is what "changes" in tests */
export const hashOf = (c: any): string => `h-${c.image}`;

let seq = 0;
export function rc(p: Partial<RuntimeContainer> & { containerName: string }): RuntimeContainer {
  return {
    id: `id-${++seq}`,
    podUid: 'uid-1',
    podName: 'web',
    podNamespace: 'default',
    kind: 'app',
    specHash: 'h-img:1',
    restartCount: 0,
    image: 'img:1',
    imageId: 'sha256:abc',
    state: 'running',
    createdAt: iso(T0),
    startedAt: iso(T0),
    ...p,
  };
}

export function sandbox(p: Partial<RuntimeContainer> = {}): RuntimeContainer {
  return rc({ containerName: 'POD', kind: 'sandbox', ip: '10.244.0.5', specHash: '', ...p });
}

export function rpod(containers: RuntimeContainer[], sandboxes: RuntimeContainer[] = [sandbox()]): RuntimePod {
  return { uid: 'uid-1', name: 'web', namespace: 'default', sandboxes, containers };
}

export class RecordingEvents implements EventRecorder {
  readonly events: { type: string; reason: string; message: string; fieldPath?: string }[] = [];
  event(_pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    this.events.push({ type, reason, message, fieldPath });
  }
  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}

export class FakeVolumes implements VolumeManager {
  readonly calls: string[] = [];
  error?: Error;
  async setup(pod: KubeObject): Promise<PreparedVolumes> {
    this.calls.push(`setup ${pod.metadata.uid}`);
    if (this.error) throw this.error;
    return { mounts: {}, tmpfs: {} };
  }
  async teardown(uid: string): Promise<void> {
    this.calls.push(`teardown ${uid}`);
  }
}

export const fakeConfigs = (): ContainerConfigBuilder & { configError?: Error } => {
  const b: ContainerConfigBuilder & { configError?: Error } = {
    container(pod, c, kind, restartCount, sandboxId) {
      if (b.configError) throw b.configError;
      return {
        identity: { podUid: pod.metadata.uid!, podName: pod.metadata.name!, podNamespace: pod.metadata.namespace!, containerName: c.name, kind, specHash: hashOf(c), restartCount },
        image: c.image,
        env: [],
        mounts: [],
        sandboxId,
      };
    },
    sandbox(pod) {
      return { identity: { podUid: pod.metadata.uid!, podName: pod.metadata.name!, podNamespace: pod.metadata.namespace!, containerName: 'POD', kind: 'sandbox', specHash: '', restartCount: 0 }, hostname: pod.metadata.name! };
    },
    pullAuth: () => undefined,
    specHash: hashOf,
  };
  return b;
};

export const lookup: ObjectLookup = { configMap: () => undefined, secret: () => undefined, services: () => [] };
export const node: NodeFacts = { nodeName: 'n1', nodeIp: '192.168.1.10', clusterDomain: 'cluster.local', allocatableCpu: 2, allocatableMemory: 2 ** 30 };

export interface Harness {
  runtime: FakeRuntime;
  events: RecordingEvents;
  volumes: FakeVolumes;
  configs: ReturnType<typeof fakeConfigs>;
  deps: SyncDeps;
  clock: { t: number };
}

export function harness(): Harness {
  const clock = { t: T0 };
  const runtime = new FakeRuntime(() => clock.t);
  runtime.images.set('img:1', 'sha256:img1');
  const events = new RecordingEvents();
  const volumes = new FakeVolumes();
  const configs = fakeConfigs();
  const deps: SyncDeps = {
    runtime,
    volumes,
    configs,
    events,
    lookup,
    node,
    backoff: new BackoffTable(),
    now: () => clock.t,
    log: pino({ level: 'silent' }),
  };
  return { runtime, events, volumes, configs, deps, clock };
}
