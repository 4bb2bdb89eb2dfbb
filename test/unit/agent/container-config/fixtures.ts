import type { KubeObject } from '../../../../api/types.js';
import type { NodeFacts, ObjectLookup } from '../../../../agent/podworker/deps.js';

export function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

export function makeLookup(objs: { configMaps?: KubeObject[]; secrets?: KubeObject[]; services?: KubeObject[] } = {}): ObjectLookup {
  const find = (list: KubeObject[] | undefined, ns: string, name: string) => list?.find((o) => o.metadata.namespace === ns && o.metadata.name === name);
  return {
    configMap: (ns, name) => find(objs.configMaps, ns, name),
    secret: (ns, name) => find(objs.secrets, ns, name),
    services: (ns) => (objs.services ?? []).filter((s) => s.metadata.namespace === ns),
  };
}

export function cm(name: string, data: Record<string, string>, namespace = 'ns1'): KubeObject {
  return { kind: 'ConfigMap', metadata: { name, namespace }, data };
}

export function secret(name: string, data: Record<string, string>, namespace = 'ns1', type = 'Opaque'): KubeObject {
  return { kind: 'Secret', type, metadata: { name, namespace }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) };
}

export function svc(name: string, clusterIP: string, ports: { name?: string; port: number; protocol?: string }[], namespace = 'ns1'): KubeObject {
  return { kind: 'Service', metadata: { name, namespace }, spec: { clusterIP, ports } };
}

export function pod(spec: KubeObject['spec'], meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'ns1', uid: 'uid-1', labels: { app: 'web' }, annotations: { note: 'hi "there"' }, ...meta },
    spec: { nodeName: 'node-a', serviceAccountName: 'default', ...spec },
  };
}

export const NODE: NodeFacts = {
  nodeName: 'node-a',
  nodeIp: '10.0.0.5',
  podNetwork: 'kinglet-pods',
  clusterDns: '10.96.0.10',
  clusterDomain: 'cluster.local',
  allocatableCpu: 2,
  allocatableMemory: 4 * 2 ** 30,
};
