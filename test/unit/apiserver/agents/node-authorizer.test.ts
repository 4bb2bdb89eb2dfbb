import { describe, expect, it } from 'vitest';
import { authorize, type RequestAttributes } from '../../../../apiserver/auth/authorize.js';
import { GraphNodeAuthorizer, type NodeGraph, type NodeRequestAttributes } from '../../../../apiserver/auth/node-authorizer.js';
import type { KubeObject } from '../../../../api/types.js';

const pods: KubeObject[] = [
  { metadata: { namespace: 'app', name: 'mine', uid: 'u1' }, spec: { nodeName: 'n1', volumes: [{ name: 'v', secret: { secretName: 'my-secret' } }], containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'my-cm' } }] }] } },
  { metadata: { namespace: 'app', name: 'theirs', uid: 'u2' }, spec: { nodeName: 'n2', volumes: [{ name: 'v', secret: { secretName: 'their-secret' } }] } },
];
const graph: NodeGraph = {
  pod: (ns, name) => pods.find((p) => p.metadata.namespace === ns && p.metadata.name === name),
  podsOnNode: (node) => pods.filter((p) => p.spec.nodeName === node),
};
const user = { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const opts = { nodeAuthorizer: new GraphNodeAuthorizer(graph) };
const a = (verb: string, resource: string, extra: Partial<NodeRequestAttributes> = {}): RequestAttributes => ({ verb, group: '', resource, ...extra });

const table: Array<[string, RequestAttributes, boolean]> = [
  ['get own pod', a('get', 'pods', { namespace: 'app', name: 'mine' }), true],
  ["get another node's pod", a('get', 'pods', { namespace: 'app', name: 'theirs' }), false],
  ['get unknown pod', a('get', 'pods', { namespace: 'app', name: 'ghost' }), false],
  ['list pods with own nodeName', a('list', 'pods', { fieldSelector: 'spec.nodeName=n1' }), true],
  ['watch pods with own nodeName', a('watch', 'pods', { namespace: 'app', fieldSelector: 'spec.nodeName=n1,status.phase=Running' }), true],
  ['list all pods', a('list', 'pods'), false],
  ['list pods of another node', a('list', 'pods', { fieldSelector: 'spec.nodeName=n2' }), false],
  ['list pods with != selector', a('list', 'pods', { fieldSelector: 'spec.nodeName!=n1' }), false],
  ['update own pod status', a('update', 'pods', { namespace: 'app', name: 'mine', subresource: 'status' }), true],
  ['patch own pod status', a('patch', 'pods', { namespace: 'app', name: 'mine', subresource: 'status' }), true],
  ["patch another node's pod status", a('patch', 'pods', { namespace: 'app', name: 'theirs', subresource: 'status' }), false],
  ['update own pod spec', a('update', 'pods', { namespace: 'app', name: 'mine' }), false],
  ['delete own pod', a('delete', 'pods', { namespace: 'app', name: 'mine' }), false],
  ['create a pod', a('create', 'pods', { namespace: 'app' }), false],
  ['get referenced secret', a('get', 'secrets', { namespace: 'app', name: 'my-secret' }), true],
  ['get referenced configmap', a('get', 'configmaps', { namespace: 'app', name: 'my-cm' }), true],
  ["get another node's secret", a('get', 'secrets', { namespace: 'app', name: 'their-secret' }), false],
  ['get same-name secret in another namespace', a('get', 'secrets', { namespace: 'other', name: 'my-secret' }), false],
  ['list secrets', a('list', 'secrets', { namespace: 'app' }), false],
  ['update referenced secret', a('update', 'secrets', { namespace: 'app', name: 'my-secret' }), false],
  ['get own node', a('get', 'nodes', { name: 'n1' }), true],
  ['update own node status', a('update', 'nodes', { name: 'n1', subresource: 'status' }), true],
  ['update another node', a('update', 'nodes', { name: 'n2' }), false],
  ['delete own node', a('delete', 'nodes', { name: 'n1' }), false],
  ['create own lease', { verb: 'create', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease' }, true],
  ['update own lease', { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: 'n1' }, true],
  ['get own lease', { verb: 'get', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: 'n1' }, true],
  ["update another node's lease", { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: 'n2' }, false],
  ['lease elsewhere', { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'default', name: 'n1' }, false],
  ['create events', a('create', 'events', { namespace: 'app' }), true],
  ['patch events', a('patch', 'events', { namespace: 'app', name: 'x.1' }), true],
  ['delete events', a('delete', 'events', { namespace: 'app', name: 'x.1' }), false],
  ['list services', a('list', 'services'), false],
  ['get deployments', { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'app', name: 'd' }, false],
];

describe('node authorizer', () => {
  it.each(table)('%s', (_name, attrs, allowed) => {
    expect(authorize(user, attrs, opts).allowed).toBe(allowed);
  });

  it('says why when denying', () => {
    expect(authorize(user, a('get', 'pods', { namespace: 'app', name: 'theirs' }), opts).reason).toMatch(/no relationship found between node "n1"/);
  });
});
