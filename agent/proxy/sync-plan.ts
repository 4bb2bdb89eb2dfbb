// What to write, pure: the full plan (everything, in chunks that create Service chains before the
// dispatch chains jump to them) and the incremental plan (only chains whose rules changed since the
// last successful apply, plus removal of vanished ones). The superlinear cost of one huge
// iptables-restore on nf_tables (LAB.md) is why a full sync is split into chunks.
import { isOwnedChain, MARK_MASQ_CHAIN, NODEPORTS_CHAIN, POSTROUTING_CHAIN, SERVICES_CHAIN } from './chain-names.js';
import type { RenderedParts, RuleSet, Table, TableWrite } from './render-rules.js';

export type Plan = Partial<Record<Table, TableWrite>>;

const TABLES: Table[] = ['filter', 'nat'];
const BASE = new Set([SERVICES_CHAIN, NODEPORTS_CHAIN, MARK_MASQ_CHAIN, POSTROUTING_CHAIN]);

// Identity first: an unchanged Service's chains are the very arrays applied last time (memoised render).
function sameRules(prev: readonly string[] | undefined, next: readonly string[]): boolean {
  if (prev === next) return true;
  if (!prev || prev.length !== next.length) return false;
  for (let i = 0; i < next.length; i++) if (prev[i] !== next[i]) return false;
  return true;
}

/**
 * Chains that changed (or are new) and chains that are gone, since `applied` (the parts of the
 * last successful sync), with the rules to write. Service ports whose rendering is the same object
 * as last time are skipped without looking at their chains, so the cost follows the change, not
 * the cluster. An empty plan means nothing to do.
 */
export function incrementalPlan(next: RenderedParts, applied: RenderedParts): { plan: Plan; rules: RuleSet } {
  const rules: RuleSet = { nat: new Map(), filter: new Map() };
  const plan: Record<Table, TableWrite> = { filter: { write: [], remove: [] }, nat: { write: [], remove: [] } };
  // 1. The shared chains, compared rule by rule.
  for (const t of TABLES) {
    for (const [c, lines] of next.base[t]) {
      if (sameRules(applied.base[t].get(c), lines)) continue;
      plan[t].write.push(c);
      rules[t].set(c, lines);
    }
  }
  // 2. Per Service port: skip identical renderings; else write changed chains, drop vanished ones.
  for (const [key, r] of next.ports) {
    const old = applied.ports.get(key);
    if (old === r) continue;
    const oldChains = new Map(old?.chains ?? []);
    for (const [c, lines] of r.chains) {
      if (!sameRules(oldChains.get(c), lines)) {
        plan.nat.write.push(c);
        rules.nat.set(c, lines);
      }
      oldChains.delete(c);
    }
    for (const c of oldChains.keys()) plan.nat.remove.push(c);
  }
  for (const [key, old] of applied.ports) if (!next.ports.has(key)) for (const [c] of old.chains) plan.nat.remove.push(c);
  const out: Plan = {};
  for (const t of TABLES) if (plan[t].write.length || plan[t].remove.length) out[t] = plan[t];
  return { plan: out, rules };
}

export const emptyParts = (): RenderedParts => ({ ports: new Map(), base: { nat: new Map(), filter: new Map() } });

export const planIsEmpty = (p: Plan): boolean => TABLES.every((t) => !p[t] || (p[t]!.write.length === 0 && p[t]!.remove.length === 0));

/**
 * A full sync as a sequence of transactions: 1. the masquerade chains, 2. per-Service chains in
 * chunks of about `chunkChains` (a Service chain always with its endpoint chains), 3. the dispatch
 * chains, the filter table and the removal of every owned chain found in the kernel but no longer
 * rendered. chunkChains <= 0 gives a single transaction.
 */
export function fullPlan(rules: RuleSet, existing: Record<Table, Set<string>>, chunkChains: number): Plan[] {
  const remove = (t: Table): string[] => [...existing[t]].filter((c) => !rules[t].has(c));
  const perService = [...rules.nat.keys()].filter((c) => !BASE.has(c));
  if (chunkChains <= 0) {
    return [{ filter: { write: [...rules.filter.keys()], remove: remove('filter') }, nat: { write: [...rules.nat.keys()], remove: remove('nat') } }];
  }
  const plans: Plan[] = [{ nat: { write: [MARK_MASQ_CHAIN, POSTROUTING_CHAIN], remove: [] } }];
  let chunk: string[] = [];
  for (const c of perService) {
    // cut only before a Service chain, so a Service's endpoint chains land with it
    if (chunk.length >= chunkChains && c.startsWith('KINGLET-SVC-')) {
      plans.push({ nat: { write: chunk, remove: [] } });
      chunk = [];
    }
    chunk.push(c);
  }
  if (chunk.length) plans.push({ nat: { write: chunk, remove: [] } });
  plans.push({ filter: { write: [...rules.filter.keys()], remove: remove('filter') }, nat: { write: [SERVICES_CHAIN, NODEPORTS_CHAIN], remove: remove('nat') } });
  return plans;
}

/** Owned chain names declared in `iptables-save -t TABLE` output. */
export function ownedChainsIn(save: string): Set<string> {
  const out = new Set<string>();
  for (const line of save.split('\n')) {
    const m = /^:(KINGLET-[^\s]+)\s/.exec(line);
    if (m && isOwnedChain(m[1]!)) out.add(m[1]!);
  }
  return out;
}
