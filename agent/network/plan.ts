// The pod network beyond this node's Docker bridge, planned as pure functions: host-gw routes to
// every other node's podCIDR via its InternalIP, the service CIDR parked on a port-less bridge, and
// the iptables text for the KINGLET-FORWARD (filter) and KINGLET-POD-NAT (nat) chains this owns.
import type { KubeObject } from '../../api/types.js';
import { cidrContains, parseCidr } from '../../lib/cidr.js';

/** Routes the agent installs carry this protocol number, so it can list and prune exactly its own. */
export const ROUTE_PROTO = 76;
/** The port-less bridge that swallows Service VIP traffic no rule matched (the kernel has no dummy link). */
export const SERVICE_BRIDGE = 'kinglet0';
export const FORWARD_CHAIN = 'KINGLET-FORWARD';
export const POD_NAT_CHAIN = 'KINGLET-POD-NAT';

export interface Route {
  dst: string;
  /** next hop (host-gw); absent for a device route */
  via?: string;
  /** device route (the service CIDR on SERVICE_BRIDGE) */
  dev?: string;
}

export interface NetworkSelf {
  nodeName: string;
  nodeIp: string;
  podCidr: string;
  clusterCidr: string;
  serviceCidr: string;
}

const internalIp = (node: KubeObject): string | undefined =>
  (node.status?.addresses as { type?: string; address?: string }[] | undefined)?.find((a) => a.type === 'InternalIP')?.address;

const podCidrOf = (node: KubeObject): string | undefined => {
  const c = node.spec?.podCIDR;
  return typeof c === 'string' && c !== '' ? c : undefined;
};

const validCidr = (text: string): boolean => {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * Every route this node should have: one per other node with a podCIDR and an InternalIP, plus the
 * service CIDR on the bridge. Nodes without those yet (just joined) are skipped until they report.
 * Sorted by dst so the plan is stable.
 */
export function desiredRoutes(nodes: KubeObject[], self: NetworkSelf): Route[] {
  const routes = new Map<string, Route>();
  const byName = [...nodes].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const n of byName) {
    if (n.metadata.name === self.nodeName) continue;
    const cidr = podCidrOf(n);
    const ip = internalIp(n);
    if (!cidr || !ip || ip === self.nodeIp || !validCidr(cidr) || cidr === self.podCidr) continue;
    // a route via a pod address would loop; such a node is misconfigured, not routable
    if (cidrContains(self.clusterCidr, ip)) continue;
    // deletion in progress: traffic to it must stop
    if (n.metadata.deletionTimestamp) continue;
    // two nodes claiming one podCIDR: keep the first by name (stable), never flap between them
    if (!routes.has(cidr)) routes.set(cidr, { dst: cidr, via: ip });
  }
  routes.set(parseCidr(self.serviceCidr).text, { dst: parseCidr(self.serviceCidr).text, dev: SERVICE_BRIDGE });
  return [...routes.values()].sort((a, b) => a.dst.localeCompare(b.dst));
}

const sameRoute = (a: Route, b: Route): boolean => a.dst === b.dst && (a.via ?? '') === (b.via ?? '') && (a.via ? true : (a.dev ?? '') === (b.dev ?? ''));

/** What to replace and what to delete so the owned routes equal the desired ones. */
export function diffRoutes(current: Route[], desired: Route[]): { replace: Route[]; remove: string[] } {
  const cur = new Map(current.map((r) => [r.dst, r]));
  const want = new Set(desired.map((r) => r.dst));
  return {
    replace: desired.filter((r) => !cur.has(r.dst) || !sameRoute(cur.get(r.dst)!, r)),
    remove: [...cur.keys()].filter((d) => !want.has(d)).sort(),
  };
}

/**
 * One iptables-restore input for the chains this owns (declaring a chain flushes it, so the text is
 * the whole truth each time). Docker's FORWARD policy is DROP and its DOCKER chain accepts only
 * published ports, so traffic arriving for pods from other nodes needs the accept; the pod bridge is
 * created without Docker's masquerade, so pod->pod keeps its source IP and only pod->outside is NATed.
 */
export function renderNetworkRules(self: NetworkSelf): string {
  const cluster = parseCidr(self.clusterCidr).text;
  const service = parseCidr(self.serviceCidr).text;
  const pods = parseCidr(self.podCidr).text;
  return [
    '*filter',
    `:${FORWARD_CHAIN} - [0:0]`,
    `-A ${FORWARD_CHAIN} -d ${cluster} -m comment --comment "kinglet: to pods" -j ACCEPT`,
    `-A ${FORWARD_CHAIN} -s ${cluster} -m comment --comment "kinglet: from pods" -j ACCEPT`,
    'COMMIT',
    '*nat',
    `:${POD_NAT_CHAIN} - [0:0]`,
    `-A ${POD_NAT_CHAIN} -s ${pods} -d ${cluster} -m comment --comment "kinglet: pod to pod, no NAT" -j RETURN`,
    `-A ${POD_NAT_CHAIN} -s ${pods} -d ${service} -m comment --comment "kinglet: unmatched VIP, no NAT" -j RETURN`,
    `-A ${POD_NAT_CHAIN} -s ${pods} -m comment --comment "kinglet: pod to outside the cluster" -j MASQUERADE`,
    'COMMIT',
    '',
  ].join('\n');
}

/** The jumps from built-in chains into ours: [table, built-in chain, our chain]. */
export const NETWORK_JUMPS: ReadonlyArray<readonly [string, string, string]> = [
  ['filter', 'FORWARD', FORWARD_CHAIN],
  ['nat', 'POSTROUTING', POD_NAT_CHAIN],
];
