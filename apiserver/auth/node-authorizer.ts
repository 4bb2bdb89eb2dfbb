// Node authorization (Kubernetes' Node authorizer, simplified): a node identity may read only the
// pods bound to it and the ConfigMaps/Secrets those pods reference, and write only its own Lease,
// its pods' status and events. authorize() is synchronous, so the object graph is the in-memory
// cluster cache the agent service keeps current from registry watches.
// Node objects themselves are decided in authorize.ts before this hook is asked.
import { parseFieldSelector } from '../../api/field-selectors.js';
import type { KubeObject } from '../../api/types.js';
import type { UserInfo } from '../registry/types.js';
import type { Decision, NodeAuthorizer, RequestAttributes } from './authorize.js';
import { podReferences } from '../agents/desired-state.js';

/** The attributes the HTTP layer passes; list/watch carry the request's field selector. */
export interface NodeRequestAttributes extends RequestAttributes {
  fieldSelector?: string;
}

/** What the authorizer reads (ClusterCache implements it). */
export interface NodeGraph {
  pod(namespace: string, name: string): KubeObject | undefined;
  podsOnNode(node: string): Iterable<KubeObject>;
}

export const LEASE_NAMESPACE = 'kube-node-lease';
const ALLOW: Decision = { allowed: true };

/** True when the field selector pins spec.nodeName to exactly this node. */
export function selectsNode(fieldSelector: string | undefined, node: string): boolean {
  if (!fieldSelector) return false;
  try {
    const reqs = parseFieldSelector(fieldSelector);
    return reqs.some((r) => r.field === 'spec.nodeName' && r.op === '=' && r.value === node);
  } catch {
    return false;
  }
}

export class GraphNodeAuthorizer implements NodeAuthorizer {
  constructor(private readonly graph: NodeGraph) {}

  authorize(nodeName: string, _user: UserInfo, attrs: RequestAttributes): Decision | undefined {
    const a = attrs as NodeRequestAttributes;
    const ns = a.namespace ?? '';
    switch (`${a.group}/${a.resource}`) {
      case '/pods':
        return this.pods(nodeName, a);
      case '/configmaps':
      case '/secrets':
        if (a.verb !== 'get' || !a.name || a.subresource) return undefined;
        return this.referenced(nodeName, ns, a.resource === 'configmaps' ? 'configMaps' : 'secrets', a.name) ? ALLOW : undefined;
      case 'coordination.k8s.io/leases':
        if (ns !== LEASE_NAMESPACE || a.subresource) return undefined;
        // A create carries its name in the body only; the agent service writes leases itself anyway.
        if (a.verb === 'create' && !a.name) return ALLOW;
        return ['get', 'create', 'update', 'patch'].includes(a.verb) && a.name === nodeName ? ALLOW : undefined;
      case '/events':
      case 'events.k8s.io/events':
        return a.verb === 'create' || a.verb === 'patch' ? ALLOW : undefined;
      default:
        return undefined;
    }
  }

  private pods(node: string, a: NodeRequestAttributes): Decision | undefined {
    if (a.verb === 'list' || a.verb === 'watch') {
      return !a.name && !a.subresource && selectsNode(a.fieldSelector, node) ? ALLOW : undefined;
    }
    if (!a.name || !a.namespace) return undefined;
    const bound = this.graph.pod(a.namespace, a.name)?.spec?.nodeName === node;
    if (!bound) return undefined;
    if (a.subresource === undefined && a.verb === 'get') return ALLOW;
    if (a.subresource === 'status' && (a.verb === 'get' || a.verb === 'update' || a.verb === 'patch')) return ALLOW;
    return undefined;
  }

  private referenced(node: string, namespace: string, kind: 'configMaps' | 'secrets', name: string): boolean {
    for (const pod of this.graph.podsOnNode(node)) {
      if ((pod.metadata.namespace ?? '') !== namespace) continue;
      if (podReferences(pod)[kind].has(name)) return true;
    }
    return false;
  }
}
