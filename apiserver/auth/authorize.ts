// What a caller may do: a small fixed policy in place of RBAC.
//   system:masters          → everything
//   any authenticated user  → discovery/health paths and self-reviews (what kubectl needs to start)
//   system:nodes            → read nodes and write its own Node; the rest goes to a NodeAuthorizer
//                             hook (object-graph based, added with the agents) and is denied until then
//   anyone else             → denied with Kubernetes' forbidden message
import { ApiError } from '../../lib/errors.js';
import type { UserInfo } from '../registry/types.js';

export interface RequestAttributes {
  /** get list watch create update patch delete deletecollection (non-resource: get, head, post...) */
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** set for non-resource requests (/version, /healthz, /api, ...) */
  path?: string;
}

export interface Decision {
  allowed: boolean;
  reason?: string;
}

/**
 * The hook for node authorization (the next issue): given a node's identity it decides on requests
 * that need object knowledge (pods bound to the node, their secrets/configmaps, ...). Returning
 * undefined means "no opinion" and the request is denied.
 */
export interface NodeAuthorizer {
  authorize(nodeName: string, user: UserInfo, attrs: RequestAttributes): Decision | undefined;
}

export interface AuthorizeOptions {
  nodeAuthorizer?: NodeAuthorizer;
}

export const MASTERS_GROUP = 'system:masters';
export const NODES_GROUP = 'system:nodes';
export const NODE_USER_PREFIX = 'system:node:';
export const NODE_AUTHORIZER_MISSING = 'node authorization is not configured yet';

// Paths every authenticated user may read (Kubernetes' system:discovery, system:basic-user and
// system:public-info-viewer roles).
const PUBLIC_PATHS = ['/version', '/healthz', '/livez', '/readyz', '/api', '/apis', '/openapi'];
const READ_VERBS = new Set(['get', 'list', 'watch']);
const NODE_WRITE_VERBS = new Set(['create', 'update', 'patch']);

// Reviews of oneself (kubectl auth can-i / whoami) are allowed to everyone authenticated.
const SELF_REVIEWS: Array<[string, string]> = [
  ['authorization.k8s.io', 'selfsubjectaccessreviews'],
  ['authorization.k8s.io', 'selfsubjectrulesreviews'],
  ['authentication.k8s.io', 'selfsubjectreviews'],
];

export function isPublicPath(path: string): boolean {
  const p = path.split('?')[0]!.replace(/\/+$/, '') || '/';
  return PUBLIC_PATHS.some((base) => p === base || p.startsWith(base + '/'));
}

/** The node name of a node identity ("system:node:NAME" in group system:nodes), else undefined. */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.groups.includes(NODES_GROUP) || !user.name.startsWith(NODE_USER_PREFIX)) return undefined;
  const name = user.name.slice(NODE_USER_PREFIX.length);
  return name === '' ? undefined : name;
}

export function authorize(user: UserInfo, attrs: RequestAttributes, opts: AuthorizeOptions = {}): Decision {
  if (user.groups.includes(MASTERS_GROUP)) return { allowed: true };

  if (attrs.path !== undefined) {
    const readVerb = attrs.verb === 'get' || attrs.verb === 'head';
    return readVerb && isPublicPath(attrs.path) ? { allowed: true } : { allowed: false };
  }

  if (attrs.verb === 'create' && SELF_REVIEWS.some(([g, r]) => g === attrs.group && r === attrs.resource)) {
    return { allowed: true };
  }

  if (user.groups.includes(NODES_GROUP)) return authorizeNode(user, attrs, opts.nodeAuthorizer);

  return { allowed: false };
}

function authorizeNode(user: UserInfo, attrs: RequestAttributes, hook: NodeAuthorizer | undefined): Decision {
  const nodeName = nodeNameOf(user);
  if (nodeName === undefined) return { allowed: false, reason: `unknown node for user "${user.name}"` };
  if (attrs.group === '' && attrs.resource === 'nodes') {
    if (READ_VERBS.has(attrs.verb) && (attrs.subresource === undefined || attrs.subresource === 'status')) {
      return { allowed: true };
    }
    // A node registers and heartbeats itself, and only itself.
    const ownNode = attrs.name === nodeName && (attrs.subresource === undefined || attrs.subresource === 'status');
    if (NODE_WRITE_VERBS.has(attrs.verb) && ownNode) return { allowed: true };
  }
  if (hook) {
    const d = hook.authorize(nodeName, user, attrs);
    if (d) return d;
    return { allowed: false, reason: `no relationship found between node "${nodeName}" and this object` };
  }
  return { allowed: false, reason: NODE_AUTHORIZER_MISSING };
}

/** `User "x" cannot list resource "pods" in API group "" in the namespace "default"` (+ ": reason"). */
export function forbiddenMessage(user: UserInfo, attrs: RequestAttributes, reason?: string): string {
  let msg: string;
  if (attrs.path !== undefined) {
    msg = `User "${user.name}" cannot ${attrs.verb} path "${attrs.path}"`;
  } else {
    const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
    msg = `User "${user.name}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.group}" ${scope}`;
  }
  return reason ? `${msg}: ${reason}` : msg;
}

/**
 * The 403 as the apiserver reports it: `pods "web" is forbidden: User ...` (or `pods is forbidden`
 * without a name; `forbidden: User ...` for paths).
 */
export function forbiddenError(user: UserInfo, attrs: RequestAttributes, reason?: string): ApiError {
  const inner = forbiddenMessage(user, attrs, reason);
  if (attrs.path !== undefined) return new ApiError('Forbidden', `forbidden: ${inner}`);
  const what = attrs.group ? `${attrs.resource}.${attrs.group}` : attrs.resource;
  const subject = attrs.name ? `${what} "${attrs.name}"` : what;
  return new ApiError('Forbidden', `${subject} is forbidden: ${inner}`, {
    ...(attrs.name ? { name: attrs.name } : {}),
    group: attrs.group,
    kind: attrs.resource,
  });
}
