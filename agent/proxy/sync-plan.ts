// What to write, pure: the full plan (everything, in chunks that create Service chains before the
// dispatch chains jump to them) and the incremental plan (only chains whose rules changed since the
// last successful apply, plus removal of vanished ones). The superlinear cost of one huge
// iptables-restore on nf_tables (LAB.md) is why a full sync is split into chunks.
import { isOwnedChain, MARK_MASQ_CHAIN, NODEPORTS_CHAIN, POSTROUTING_CHAIN, SERVICES_CHAIN } from './chain-names.js';
import type { RuleSet, Table, TableWrite } from './render-rules.js';

/** Per table, chain name → its rules joined: what was last applied. */
export type Applied = Record<Table, Map<string, string>>;

export type Plan = Partial<Record<Table, TableWrite>>;

const TABLES: Table[] = ['filter', 'nat'];
const BASE = new Set([SERVICES_CHAIN, NODEPORTS_CHAIN, MARK_MASQ_CHAIN, POSTROUTING_CHAIN]);

export const emptyApplied = (): Applied => ({ filter: new Map(), nat: new Map() });

export function appliedOf(rules: RuleSet): Applied {
  const out = emptyApplied();
  for (const t of TABLES) for (const [c, lines] of rules[t]) out[t].set(c, lines.join('\n'));
  return out;
}

/** Chains that changed (or are new) and chains that are gone, per table. Empty plan = nothing to do. */
export function incrementalPlan(rules: RuleSet, applied: Applied): Plan {
  const plan: Plan = {};
  for (const t of TABLES) {
    const write: string[] = [];
    for (const [c, lines] of rules[t]) if (applied[t].get(c) !== lines.join('\n')) write.push(c);
    const remove = [...applied[t].keys()].filter((c) => !rules[t].has(c));
    if (write.length || remove.length) plan[t] = { write, remove };
  }
  return plan;
}

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
