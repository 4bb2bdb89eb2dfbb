import { describe, expect, it } from 'vitest';
import { desiredFor, diffDesired, podReferences, slimNode, type ClusterView } from '../../../../apiserver/agents/desired-state.js';
import type { KubeObject } from '../../../../api/types.js';

const obj = (kind: string, ns: string, name: string, rv = '1', extra: Partial<KubeObject> = {}): KubeObject => ({
  kind,
  metadata: { namespace: ns, name, resourceVersion: rv, uid: `${kind}-${ns}-${name}` },
  ...extra,
});

const richPod = obj('Pod', 'app', 'web', '5', {
  spec: {
    nodeName: 'n1',
    imagePullSecrets: [{ name: 'pull' }],
    volumes: [
      { name: 'a', configMap: { name: 'cm-vol' } },
      { name: 'b', secret: { secretName: 's-vol' } },
      { name: 'c', projected: { sources: [{ configMap: { name: 'cm-proj' } }, { secret: { name: 's-proj' } }, { downwardAPI: {} }] } },
      { name: 'd', emptyDir: {} },
    ],
    initContainers: [{ name: 'i', envFrom: [{ configMapRef: { name: 'cm-init-envfrom' } }] }],
    containers: [
      {
        name: 'c',
        env: [
          { name: 'A', valueFrom: { configMapKeyRef: { name: 'cm-env', key: 'k' } } },
          { name: 'B', valueFrom: { secretKeyRef: { name: 's-env', key: 'k' } } },
          { name: 'C', value: 'plain' },
        ],
        envFrom: [{ secretRef: { name: 's-envfrom' } }],
      },
    ],
  },
});

function view(objects: KubeObject[]): ClusterView {
  const find = (kind: string, ns: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name);
  return {
    podsOnNode: (node) => objects.filter((o) => o.kind === 'Pod' && o.spec?.nodeName === node),
    configMap: (ns, name) => find('ConfigMap', ns, name),
    secret: (ns, name) => find('Secret', ns, name),
    services: () => objects.filter((o) => o.kind === 'Service'),
    endpoints: () => objects.filter((o) => o.kind === 'Endpoints'),
    nodes: () => objects.filter((o) => o.kind === 'Node'),
  };
}

describe('podReferences', () => {
  it('finds ConfigMaps and Secrets in volumes, projected sources, env, envFrom and imagePullSecrets', () => {
    const r = podReferences(richPod);
    expect([...r.configMaps].sort()).toEqual(['cm-env', 'cm-init-envfrom', 'cm-proj', 'cm-vol']);
    expect([...r.secrets].sort()).toEqual(['pull', 's-env', 's-envfrom', 's-proj', 's-vol']);
  });
});

describe('desiredFor', () => {
  it("holds the node's pods, what they reference in their namespace, and all services/endpoints — nothing else", () => {
    const cluster = [
      richPod,
      obj('Pod', 'app', 'other-node', '6', { spec: { nodeName: 'n2', volumes: [{ name: 'x', secret: { secretName: 'foreign' } }] } }),
      obj('Pod', 'app', 'unbound', '7', { spec: { volumes: [{ name: 'x', configMap: { name: 'cm-unbound' } }] } }),
      obj('ConfigMap', 'app', 'cm-vol'),
      obj('ConfigMap', 'app', 'cm-env'),
      obj('ConfigMap', 'other', 'cm-vol'), // same name, other namespace
      obj('ConfigMap', 'app', 'cm-unbound'),
      obj('ConfigMap', 'app', 'unreferenced'),
      obj('Secret', 'app', 's-vol'),
      obj('Secret', 'app', 'pull'),
      obj('Secret', 'app', 'foreign'),
      obj('Service', 'default', 'kubernetes'),
      obj('Endpoints', 'default', 'kubernetes'),
    ];
    const keys = [...desiredFor('n1', view(cluster)).keys()].sort();
    expect(keys).toEqual([
      'ConfigMap/app/cm-env',
      'ConfigMap/app/cm-vol',
      'Endpoints/default/kubernetes',
      'Pod/app/web',
      'Secret/app/pull',
      'Secret/app/s-vol',
      'Service/default/kubernetes',
    ]);
  });
});

describe('diffDesired', () => {
  it('upserts new and changed objects, deletes vanished ones, skips unchanged', () => {
    const v1 = view([richPod, obj('ConfigMap', 'app', 'cm-vol', '1'), obj('Secret', 'app', 's-vol', '1')]);
    const sent = desiredFor('n1', v1);
    const v2 = view([richPod, obj('ConfigMap', 'app', 'cm-vol', '9'), obj('ConfigMap', 'app', 'cm-env', '3')]);
    const changes = diffDesired(sent, desiredFor('n1', v2)).map((c) => `${c.type} ${c.kind}/${c.object.metadata.name}`);
    expect(changes.sort()).toEqual(['DELETE Secret/s-vol', 'UPSERT ConfigMap/cm-env', 'UPSERT ConfigMap/cm-vol']);
  });

  it('a pod leaving the node deletes it and the objects only it referenced', () => {
    const sent = desiredFor('n1', view([richPod, obj('Secret', 'app', 'pull')]));
    const gone = diffDesired(sent, desiredFor('n1', view([obj('Secret', 'app', 'pull')])));
    expect(gone.map((c) => `${c.type} ${c.kind}/${c.object.metadata.name}`).sort()).toEqual(['DELETE Pod/web', 'DELETE Secret/pull']);
  });
});

describe('nodes fan-out', () => {
  const node = (rv: string, heartbeat: string, podCIDR = '10.244.1.0/24'): KubeObject => ({
    kind: 'Node',
    metadata: { name: 'n2', uid: 'node-n2', resourceVersion: rv, labels: { zone: 'a' }, annotations: { big: 'x'.repeat(100) } },
    spec: { podCIDR, podCIDRs: [podCIDR] },
    status: {
      addresses: [{ type: 'InternalIP', address: '10.240.0.12' }],
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat }],
      images: [{ names: ['busybox'] }],
      nodeInfo: { kernelVersion: '6.1' },
    },
  });

  it('every node gets every Node, slimmed to identity, labels, spec, addresses and condition statuses', () => {
    const d = desiredFor('n1', view([node('5', 't1')]));
    const sent = d.get('Node//n2')!.object;
    expect(sent).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n2', uid: 'node-n2', resourceVersion: '5', labels: { zone: 'a' } },
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
      status: { addresses: [{ type: 'InternalIP', address: '10.240.0.12' }], conditions: [{ type: 'Ready', status: 'True' }] },
    });
    expect(slimNode(node('5', 't1'))).toEqual(sent);
  });

  it('a heartbeat is no delta; a podCIDR change or a removed node is', () => {
    const sent = desiredFor('n1', view([node('5', 't1')]));
    expect(diffDesired(sent, desiredFor('n1', view([node('6', 't2')])))).toEqual([]);
    const moved = diffDesired(sent, desiredFor('n1', view([node('7', 't2', '10.244.9.0/24')])));
    expect(moved.map((c) => `${c.type} ${c.kind}/${c.object.metadata.name} ${c.object.spec.podCIDR}`)).toEqual(['UPSERT Node/n2 10.244.9.0/24']);
    expect(diffDesired(sent, desiredFor('n1', view([]))).map((c) => `${c.type} ${c.kind}`)).toEqual(['DELETE Node']);
  });
});
