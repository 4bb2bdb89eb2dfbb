// Small object builders shared by the scheduler tests.
import type { KubeObject } from '../../../../api/types.js';

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  ready?: 'True' | 'False' | 'Unknown' | null;
  unschedulable?: boolean;
}

export function node(name: string, o: NodeOpts = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' },
      conditions: o.ready === null ? [] : [{ type: 'Ready', status: o.ready ?? 'True' }],
    },
  };
}

export interface PodOpts {
  ns?: string;
  cpu?: string;
  memory?: string;
  nodeName?: string;
  phase?: string;
  spec?: Record<string, unknown>;
  owner?: string;
  hostPort?: number;
  init?: { cpu?: string; memory?: string }[];
}

export function pod(name: string, o: PodOpts = {}): KubeObject {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.ns ?? 'default',
      uid: `uid-${name}`,
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `rs-${o.owner}`, controller: true }] } : {}),
    },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'busybox',
          resources: { requests },
          ...(o.hostPort ? { ports: [{ containerPort: 80, hostPort: o.hostPort }] } : {}),
        },
      ],
      ...(o.init ? { initContainers: o.init.map((r, i) => ({ name: `i${i}`, image: 'busybox', resources: { requests: { ...r } } })) } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.spec ?? {}),
    },
    status: { phase: o.phase ?? 'Pending' },
  };
}
