// Pure renderer: Service ports → the proxy's chains, as kube-proxy's iptables mode shapes them.
//   nat    KINGLET-SERVICES   VIP:port → KINGLET-SVC-x; last rule: local addresses → KINGLET-NODEPORTS
//          KINGLET-NODEPORTS  node port → mark for masquerade, → KINGLET-SVC-x
//          KINGLET-SVC-x      non-pod sources marked; affinity (recent) checks; statistic 1/(n-i) → KINGLET-SEP-y,
//                             or DNAT to a remote endpoint directly (it can never be the client itself)
//          KINGLET-SEP-y      local endpoints and affinity only: hairpin (endpoint to itself) marked; DNAT to ip:port
//          KINGLET-MARK-MASQ / KINGLET-POSTROUTING  the one place marking and masquerading happen
//   filter KINGLET-SERVICES   REJECT for Service ports without endpoints (VIP and node port)
// Each chain is a list of rule lines; the applier diffs them chain by chain.
import { endpointChain, MARK_MASQ_CHAIN, MASQ_MARK, NODEPORTS_CHAIN, POSTROUTING_CHAIN, SERVICES_CHAIN, serviceChain } from './chain-names.js';
import type { ServicePort } from './service-ports.js';

export interface RenderOptions {
  /** pod network of the whole cluster: traffic from outside it to a VIP is masqueraded */
  clusterCidr: string;
  /**
   * Comments on the per-endpoint rules (default true). A large cluster drops them, as kube-proxy
   * does above 1,000 endpoints: every rule of every change costs the kernel (LAB.md), and a comment
   * is one more match per rule. Service-level rules keep theirs.
   */
  endpointComments?: boolean;
}

/** kube-proxy's largeClusterEndpointsThreshold: above it, endpoint rules carry no comment. */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

export type Chains = Map<string, string[]>;

export interface RuleSet {
  nat: Chains;
  filter: Chains;
}

export type Table = keyof RuleSet;

/** The jumps from built-in chains, one per built-in chain (installed by the applier). */
export const JUMPS: ReadonlyArray<{ table: Table; chain: string; target: string; comment: string }> = [
  { table: 'nat', chain: 'PREROUTING', target: SERVICES_CHAIN, comment: 'kinglet service portals' },
  { table: 'nat', chain: 'OUTPUT', target: SERVICES_CHAIN, comment: 'kinglet service portals' },
  { table: 'nat', chain: 'POSTROUTING', target: POSTROUTING_CHAIN, comment: 'kinglet postrouting rules' },
  { table: 'filter', chain: 'INPUT', target: SERVICES_CHAIN, comment: 'kinglet service portals' },
  { table: 'filter', chain: 'FORWARD', target: SERVICES_CHAIN, comment: 'kinglet service portals' },
  { table: 'filter', chain: 'OUTPUT', target: SERVICES_CHAIN, comment: 'kinglet service portals' },
];

const comment = (text: string): string => `-m comment --comment "${text.replace(/"/g, '')}"`;

/** 1/(n-i) with ten decimals, as kube-proxy writes it. */
export const probability = (n: number, i: number): string => (1 / (n - i)).toFixed(10);

/** One Service port's share of the rule set. */
export interface RenderedPort {
  /** its own chains (KINGLET-SVC-x then its KINGLET-SEP-y), each with its rules */
  chains: Array<[string, string[]]>;
  dispatch: string[];
  nodePorts: string[];
  filter: string[];
}

export function renderServicePort(sp: ServicePort, opts: RenderOptions): RenderedPort {
  const out: RenderedPort = { chains: [], dispatch: [], nodePorts: [], filter: [] };
  const svc = serviceChain(sp.key, sp.protocol);
  const dst = `-d ${sp.clusterIP}/32 -p ${sp.protocol} -m ${sp.protocol} --dport ${sp.port}`;
  const np = sp.nodePort ? `-p ${sp.protocol} -m ${sp.protocol} --dport ${sp.nodePort}` : undefined;
  // 1. No endpoints: refuse at once in filter (a fast "connection refused" instead of a timeout).
  if (sp.endpoints.length === 0) {
    out.filter.push(`-A ${SERVICES_CHAIN} ${comment(`${sp.key} has no endpoints`)} ${dst} -j REJECT --reject-with icmp-port-unreachable`);
    if (np) out.filter.push(`-A ${SERVICES_CHAIN} ${comment(`${sp.key} has no endpoints`)} -m addrtype --dst-type LOCAL ${np} -j REJECT --reject-with icmp-port-unreachable`);
    return out;
  }
  // 2. Dispatch: VIP:port, and the node port (always masqueraded: the reply must come back here).
  out.dispatch.push(`-A ${SERVICES_CHAIN} ${comment(`${sp.key} cluster IP`)} ${dst} -j ${svc}`);
  if (np) {
    out.nodePorts.push(`-A ${NODEPORTS_CHAIN} ${comment(sp.key)} ${np} -j ${MARK_MASQ_CHAIN}`);
    out.nodePorts.push(`-A ${NODEPORTS_CHAIN} ${comment(sp.key)} ${np} -j ${svc}`);
  }
  // 3. The Service chain: masquerade what does not come from a pod, then pick an endpoint.
  const svcRules = [`-A ${svc} ${comment(`${sp.key} cluster IP`)} ! -s ${opts.clusterCidr} ${dst} -j ${MARK_MASQ_CHAIN}`];
  // Endpoint chains only where needed: a local endpoint's hairpin check, or ClientIP affinity
  // (its `recent` list is named after the chain). Remote endpoints are DNATed right here.
  const affinity = sp.affinitySeconds !== undefined;
  const epc = (text: string): string => (opts.endpointComments === false ? '' : ` ${comment(text)}`);
  const seps = sp.endpoints.map((e) => ({ e, chain: affinity || e.local ? endpointChain(sp.key, sp.protocol, `${e.ip}:${e.port}`) : undefined }));
  if (affinity) {
    for (const { e, chain } of seps) {
      svcRules.push(`-A ${svc}${epc(`${sp.key} -> ${e.ip}:${e.port}`)} -m recent --name ${chain} --mask 255.255.255.255 --rsource --rcheck --seconds ${sp.affinitySeconds} --reap -j ${chain}`);
    }
  }
  seps.forEach(({ e, chain }, i) => {
    const stat = i < seps.length - 1 ? ` -m statistic --mode random --probability ${probability(seps.length, i)}` : '';
    const target = chain ? `-j ${chain}` : `-p ${sp.protocol} -m ${sp.protocol} -j DNAT --to-destination ${e.ip}:${e.port}`;
    svcRules.push(`-A ${svc}${epc(`${sp.key} -> ${e.ip}:${e.port}`)}${stat} ${target}`);
  });
  out.chains.push([svc, svcRules]);
  // 4. An endpoint chain: hairpin marking, then DNAT (remembering the client for affinity).
  for (const { e, chain } of seps) {
    if (!chain) continue;
    const recent = affinity ? ` -m recent --name ${chain} --mask 255.255.255.255 --rsource --set` : '';
    out.chains.push([chain, [
      `-A ${chain}${epc(sp.key)} -s ${e.ip}/32 -j ${MARK_MASQ_CHAIN}`,
      `-A ${chain}${epc(sp.key)} -p ${sp.protocol} -m ${sp.protocol}${recent} -j DNAT --to-destination ${e.ip}:${e.port}`,
    ]]);
  }
  return out;
}

/**
 * The rule set in parts: each Service port's rendering (by "key/protocol") and the shared chains
 * (dispatch, node ports, masquerade, filter). `memo` (optional) reuses the rendering of a
 * ServicePort object seen before, so the unchanged Services of an incremental sync cost a lookup
 * and keep their identity (the planner's fast path).
 */
export interface RenderedParts {
  ports: Map<string, RenderedPort>;
  /** the base chains only: nat SERVICES/NODEPORTS/MARK-MASQ/POSTROUTING, filter SERVICES */
  base: RuleSet;
}

export function renderParts(ports: readonly ServicePort[], opts: RenderOptions, memo?: WeakMap<ServicePort, RenderedPort>): RenderedParts {
  const rendered = new Map<string, RenderedPort>();
  const natServices: string[] = [];
  const nodePorts: string[] = [];
  const filterRules: string[] = [];
  for (const sp of ports) {
    let r = memo?.get(sp);
    if (!r) {
      r = renderServicePort(sp, opts);
      memo?.set(sp, r);
    }
    rendered.set(`${sp.key}/${sp.protocol}`, r);
    for (const l of r.dispatch) natServices.push(l);
    for (const l of r.nodePorts) nodePorts.push(l);
    for (const l of r.filter) filterRules.push(l);
  }
  // Node ports last: only packets to this node's own addresses that matched no VIP.
  natServices.push(`-A ${SERVICES_CHAIN} ${comment('kinglet service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL -j ${NODEPORTS_CHAIN}`);
  const nat: Chains = new Map([
    [SERVICES_CHAIN, natServices],
    [NODEPORTS_CHAIN, nodePorts],
    [MARK_MASQ_CHAIN, [`-A ${MARK_MASQ_CHAIN} -j MARK --or-mark ${MASQ_MARK}`]],
    [POSTROUTING_CHAIN, [
      `-A ${POSTROUTING_CHAIN} -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
      // clear the mark so a packet re-traversing the stack is not masqueraded twice
      `-A ${POSTROUTING_CHAIN} -j MARK --xor-mark ${MASQ_MARK}`,
      `-A ${POSTROUTING_CHAIN} ${comment('kinglet service traffic requiring SNAT')} -j MASQUERADE --random-fully`,
    ]],
  ]);
  return { ports: rendered, base: { nat, filter: new Map([[SERVICES_CHAIN, filterRules]]) } };
}

/** Every chain of the parts in one RuleSet: base chains first, then each Service's. */
export function flatten(parts: RenderedParts): RuleSet {
  const nat: Chains = new Map(parts.base.nat);
  for (const r of parts.ports.values()) for (const [name, lines] of r.chains) nat.set(name, lines);
  return { nat, filter: new Map(parts.base.filter) };
}

/** The whole rule set for these Service ports. Deterministic: same input, same text. */
export function renderRules(ports: readonly ServicePort[], opts: RenderOptions, memo?: WeakMap<ServicePort, RenderedPort>): RuleSet {
  return flatten(renderParts(ports, opts, memo));
}

export interface TableWrite {
  /** chains declared (flushed) and filled with their rules */
  write: string[];
  /** chains declared then deleted (-X): must be unreferenced after this transaction */
  remove: string[];
}

/** iptables-restore input for the given chains of each table ("*nat ... COMMIT"). */
export function restoreText(rules: RuleSet, plan: Partial<Record<Table, TableWrite>>): string {
  const out: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    const p = plan[table];
    if (!p || (p.write.length === 0 && p.remove.length === 0)) continue;
    out.push(`*${table}`);
    for (const c of [...p.write, ...p.remove]) out.push(`:${c} - [0:0]`);
    for (const c of p.write) for (const line of rules[table].get(c) ?? []) out.push(line);
    for (const c of p.remove) out.push(`-X ${c}`);
    out.push('COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
