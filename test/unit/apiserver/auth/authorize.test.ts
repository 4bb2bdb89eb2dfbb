import { describe, expect, it } from 'vitest';
import {
  NODE_AUTHORIZER_MISSING,
  authorize,
  forbiddenError,
  forbiddenMessage,
  isPublicPath,
  nodeNameOf,
  type NodeAuthorizer,
} from '../../../../apiserver/auth/authorize.js';

const admin = { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
const dev = { name: 'dev', groups: ['system:authenticated'] };
const node1 = { name: 'system:node:node1', groups: ['system:nodes', 'system:authenticated'] };

describe('authorize', () => {
  it('allows system:masters everything', () => {
    expect(authorize(admin, { verb: 'deletecollection', group: 'apps', resource: 'deployments', namespace: 'x' })).toEqual({ allowed: true });
    expect(authorize(admin, { verb: 'get', group: '', resource: '', path: '/metrics' }).allowed).toBe(true);
  });

  it('allows discovery and health paths to any authenticated user, but nothing else', () => {
    for (const path of ['/version', '/version/', '/healthz', '/api', '/api/v1', '/apis/apps/v1', '/openapi/v2', '/readyz?verbose']) {
      expect(authorize(dev, { verb: 'get', group: '', resource: '', path }).allowed, path).toBe(true);
    }
    expect(authorize(dev, { verb: 'get', group: '', resource: '', path: '/metrics' }).allowed).toBe(false);
    expect(authorize(dev, { verb: 'post', group: '', resource: '', path: '/api' }).allowed).toBe(false);
    expect(authorize(dev, { verb: 'get', group: '', resource: '', path: '/apiserver' }).allowed).toBe(false);
  });

  it('denies resource requests to ordinary users', () => {
    expect(authorize(dev, { verb: 'list', group: '', resource: 'pods', namespace: 'default' }).allowed).toBe(false);
  });

  it('allows self reviews (kubectl auth can-i / whoami)', () => {
    expect(authorize(dev, { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }).allowed).toBe(true);
    expect(authorize(dev, { verb: 'create', group: 'authorization.k8s.io', resource: 'subjectaccessreviews' }).allowed).toBe(false);
  });

  describe('nodes', () => {
    it('may read nodes and write only their own Node', () => {
      for (const verb of ['get', 'list', 'watch']) {
        expect(authorize(node1, { verb, group: '', resource: 'nodes', name: verb === 'get' ? 'node2' : undefined }).allowed).toBe(true);
      }
      expect(authorize(node1, { verb: 'create', group: '', resource: 'nodes', name: 'node1' }).allowed).toBe(true);
      expect(authorize(node1, { verb: 'patch', group: '', resource: 'nodes', name: 'node1', subresource: 'status' }).allowed).toBe(true);
      expect(authorize(node1, { verb: 'update', group: '', resource: 'nodes', name: 'node2', subresource: 'status' })).toEqual({
        allowed: false,
        reason: NODE_AUTHORIZER_MISSING,
      });
      expect(authorize(node1, { verb: 'delete', group: '', resource: 'nodes', name: 'node1' }).allowed).toBe(false);
    });

    it('are denied everything else until a node authorizer exists', () => {
      expect(authorize(node1, { verb: 'get', group: '', resource: 'secrets', namespace: 'default', name: 's' })).toEqual({
        allowed: false,
        reason: 'node authorization is not configured yet',
      });
    });

    it('delegate other requests to the NodeAuthorizer hook', () => {
      const seen: string[] = [];
      const hook: NodeAuthorizer = {
        authorize(nodeName, _user, attrs) {
          seen.push(`${nodeName}:${attrs.resource}/${attrs.name}`);
          return attrs.name === 'mine' ? { allowed: true } : undefined;
        },
      };
      const get = (name: string) => authorize(node1, { verb: 'get', group: '', resource: 'secrets', namespace: 'd', name }, { nodeAuthorizer: hook });
      expect(get('mine')).toEqual({ allowed: true });
      const theirs = get('theirs');
      expect(theirs.allowed).toBe(false);
      expect(theirs.reason).toMatch(/no relationship found between node "node1"/);
      expect(seen).toEqual(['node1:secrets/mine', 'node1:secrets/theirs']);
    });

    it('a system:nodes member without a node user name is denied', () => {
      expect(authorize({ name: 'bob', groups: ['system:nodes'] }, { verb: 'list', group: '', resource: 'nodes' }).allowed).toBe(false);
      expect(nodeNameOf({ name: 'system:node:', groups: ['system:nodes'] })).toBeUndefined();
      expect(nodeNameOf(node1)).toBe('node1');
      expect(nodeNameOf({ name: 'system:node:x', groups: [] })).toBeUndefined();
    });
  });

  it('isPublicPath does not match prefixes of other words', () => {
    expect(isPublicPath('/apis')).toBe(true);
    expect(isPublicPath('/apisx')).toBe(false);
    expect(isPublicPath('/')).toBe(false);
  });
});

describe('forbidden messages', () => {
  it('match Kubernetes wording', () => {
    expect(forbiddenMessage(dev, { verb: 'list', group: '', resource: 'pods', namespace: 'default' })).toBe(
      'User "dev" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    expect(forbiddenMessage(dev, { verb: 'get', group: '', resource: 'nodes', name: 'n' })).toBe(
      'User "dev" cannot get resource "nodes" in API group "" at the cluster scope',
    );
    expect(forbiddenMessage(dev, { verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace: 'a' }, 'why')).toBe(
      'User "dev" cannot get resource "pods/log" in API group "" in the namespace "a": why',
    );
    expect(forbiddenMessage(dev, { verb: 'get', group: '', resource: '', path: '/metrics' })).toBe('User "dev" cannot get path "/metrics"');
  });

  it('forbiddenError is a 403 with the object prefix', () => {
    const e = forbiddenError(dev, { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'd', name: 'web' });
    expect(e.code).toBe(403);
    expect(e.reason).toBe('Forbidden');
    expect(e.message).toBe('deployments.apps "web" is forbidden: User "dev" cannot get resource "deployments" in API group "apps" in the namespace "d"');
    expect(forbiddenError(dev, { verb: 'list', group: '', resource: 'pods', namespace: 'd' }).message).toMatch(/^pods is forbidden: User "dev" cannot list/);
  });
});
