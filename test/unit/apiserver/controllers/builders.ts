// Small object builders for the workload controller tests.
import type { KubeObject } from '../../../../api/types.js';

let seq = 0;
const at = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString().replace(/\.\d+Z$/, 'Z');

export function pod(name: string, o: { labels?: Record<string, string>; owner?: string; node?: string; phase?: string; ready?: boolean; readySince?: number; created?: number; restarts?: number; deleting?: boolean } = {}): KubeObject {
  const conds = o.ready !== undefined ? [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: at(o.readySince ?? 0) }] : [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `pod-${name}`,
      labels: o.labels ?? { app: 'web' },
      creationTimestamp: at(o.created ?? ++seq),
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `rs-${o.owner}`, controller: true, blockOwnerDeletion: true }] } : {}),
      ...(o.deleting ? { deletionTimestamp: at(100) } : {}),
    },
    spec: { ...(o.node ? { nodeName: o.node } : {}), containers: [{ name: 'c', image: 'x' }] },
    status: { phase: o.phase ?? 'Running', conditions: conds, containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }] },
  };
}

export function rs(name: string, o: { replicas?: number; labels?: Record<string, string>; status?: Record<string, number>; revision?: number; created?: number; image?: string; owner?: string; annotations?: Record<string, string>; generation?: number } = {}): KubeObject {
  const labels = o.labels ?? { app: 'web' };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: `rs-${name}`,
      generation: o.generation ?? 1,
      labels,
      creationTimestamp: at(o.created ?? ++seq),
      annotations: { ...(o.revision !== undefined ? { 'deployment.kubernetes.io/revision': String(o.revision) } : {}), ...(o.annotations ?? {}) },
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: o.owner, uid: `d-${o.owner}`, controller: true }] } : {}),
    },
    spec: { replicas: o.replicas ?? 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: o.image ?? 'x' }] } } },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: o.generation ?? 1, ...(o.status ?? {}) },
  };
}

export function deployment(o: { replicas?: number; maxSurge?: number | string; maxUnavailable?: number | string; strategy?: string; image?: string; generation?: number; status?: any; paused?: boolean; history?: number; deadline?: number } = {}): KubeObject {
  const strategy = o.strategy === 'Recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.maxSurge ?? '25%', maxUnavailable: o.maxUnavailable ?? '25%' } };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd-web', generation: o.generation ?? 1 },
    spec: {
      replicas: o.replicas ?? 4,
      strategy,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: o.image ?? 'x' }] } },
      revisionHistoryLimit: o.history ?? 10,
      progressDeadlineSeconds: o.deadline ?? 600,
      ...(o.paused ? { paused: true } : {}),
    },
    status: o.status ?? {},
  };
}

export const T = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
