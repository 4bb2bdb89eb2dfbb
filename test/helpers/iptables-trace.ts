// A packet tracer over iptables-restore text, as kube-proxy's own tests have: given a source,
// destination, protocol and port, walk the proxy's chains and say which rules match, whether the
// packet is rejected, where it may be DNATed (every branch of a `statistic` rule is followed, so
// all possible endpoints are listed) and whether it would be masqueraded. It knows exactly the
// matches and targets the renderer uses; anything else throws, so a new rule shape cannot be
// silently ignored.
import { cidrContains } from '../../lib/cidr.js';

export interface Packet {
  src: string;
  dst: string;
  proto: 'tcp' | 'udp' | 'sctp';
  dport: number;
  /** this node's own addresses (addrtype LOCAL) */
  localIps?: string[];
  /** client already in the affinity table of these endpoint chains (`recent --rcheck` matches) */
  recentIn?: string[];
}

export interface Outcome {
  /** "ip:port" when DNATed, else undefined (the packet goes on unchanged) */
  dnat?: string;
  masquerade: boolean;
  /** the chains entered, in order */
  chains: string[];
}

export interface Trace {
  /** the filter table's verdict: REJECT, or undefined when no rule of ours matched */
  filter?: 'REJECT';
  outcomes: Outcome[];
}

type Rule = { chain: string; args: string[] };
type Tables = Record<string, Map<string, Rule[]>>;

/** Splits a rule line into arguments, honouring double quotes. */
function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2]);
  return out;
}

export function parseRestore(text: string): Tables {
  const tables: Tables = {};
  let cur: Map<string, Rule[]> | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) tables[line.slice(1)] = cur = tables[line.slice(1)] ?? new Map();
    else if (line.startsWith(':')) cur!.set(line.slice(1).split(' ')[0], cur!.get(line.slice(1).split(' ')[0]) ?? []);
    else if (line.startsWith('-A ')) {
      const args = tokenize(line);
      cur!.get(args[1])!.push({ chain: args[1], args: args.slice(2) });
    } else if (line.startsWith('-X ')) cur!.delete(line.slice(3).trim());
  }
  return tables;
}

interface State {
  mark: boolean;
  chains: string[];
}

type Step = { kind: 'match' | 'nomatch' | 'maybe'; target?: string; targetArgs: string[] };

/** Evaluate a rule's matches; 'maybe' for a statistic rule (both branches possible). */
function evaluate(rule: Rule, p: Packet, st: State): Step {
  const a = rule.args;
  let kind: Step['kind'] = 'match';
  let neg = false;
  for (let i = 0; i < a.length; i++) {
    const t = a[i];
    const fail = (ok: boolean): void => {
      if (ok === neg) kind = 'nomatch';
      neg = false;
    };
    switch (t) {
      case '!': neg = true; break;
      case '-s': fail(cidrContains(a[++i].includes('/') ? a[i] : `${a[i]}/32`, p.src)); break;
      case '-d': fail(cidrContains(a[++i].includes('/') ? a[i] : `${a[i]}/32`, p.dst)); break;
      case '-p': fail(a[++i] === p.proto); break;
      case '--dport': fail(Number(a[++i]) === p.dport); break;
      case '-m': {
        const mod = a[++i];
        if (mod === 'comment') i += 2;
        else if (mod === 'addrtype') { i += 2; fail((p.localIps ?? []).includes(p.dst)); }
        else if (mod === 'statistic') { i += 4; if (kind === 'match') kind = 'maybe'; }
        else if (mod === 'mark') { const want = a[i + 1] === '!' ? (i++, false) : true; i += 2; if ((st.mark === want) === false) kind = 'nomatch'; }
        else if (mod === 'recent') {
          const name = a[i + 2];
          let j = i + 1;
          let check = false;
          while (j < a.length && a[j] !== '-j' && a[j] !== '-m') { if (a[j] === '--rcheck') check = true; j++; }
          if (check && !(p.recentIn ?? []).includes(name)) kind = 'nomatch';
          i = j - 1;
        } else if (mod !== 'tcp' && mod !== 'udp' && mod !== 'sctp') throw new Error(`tracer: unknown match module ${mod}`);
        break;
      }
      case '-j': return { kind, target: a[i + 1], targetArgs: a.slice(i + 2) };
      default: throw new Error(`tracer: unknown rule argument ${t} in ${rule.chain}`);
    }
  }
  return { kind, targetArgs: [] };
}

// The mask bit after a MARK target, as written by the renderer (--or-mark/--xor-mark) or as
// iptables-save prints it (--set-xmark VALUE/MASK: clear MASK bits, then xor VALUE).
function markAfter(mark: boolean, args: string[]): boolean {
  if (args[0] === '--or-mark') return true;
  if (args[0] === '--xor-mark') return !mark;
  if (args[0] === '--set-xmark') {
    const [value, mask] = args[1].split('/');
    return mask === value ? true : !mark;
  }
  throw new Error(`tracer: unknown MARK arguments ${args.join(' ')}`);
}

// Walk one chain; returns the outcomes of every branch. `done` means a terminal target was hit.
function walk(tables: Tables, table: string, chain: string, p: Packet, st: State): Array<{ st: State; dnat?: string; verdict?: string; done: boolean }> {
  const rules = tables[table]?.get(chain);
  if (!rules) throw new Error(`tracer: no chain ${table}/${chain}`);
  st = { ...st, chains: [...st.chains, chain] };
  const results: Array<{ st: State; dnat?: string; verdict?: string; done: boolean }> = [];
  for (const r of rules) {
    const step = evaluate(r, p, st);
    if (step.kind === 'nomatch' || !step.target) continue;
    const apply = (s: State): Array<{ st: State; dnat?: string; verdict?: string; done: boolean }> => {
      switch (step.target) {
        case 'MARK': return [{ st: { ...s, mark: markAfter(s.mark, step.targetArgs) }, done: false }];
        case 'DNAT': return [{ st: s, dnat: step.targetArgs[1], done: true }];
        case 'REJECT': case 'ACCEPT': case 'MASQUERADE': return [{ st: s, verdict: step.target, done: true }];
        case 'RETURN': return [{ st: s, verdict: 'RETURN', done: true }];
        default: return walk(tables, table, step.target!, p, s).map((o) => (o.verdict === 'RETURN' ? { st: o.st, done: false } : o));
      }
    };
    const branch = apply(st);
    if (step.kind === 'maybe') {
      results.push(...branch.filter((b) => b.done));
      const cont = branch.filter((b) => !b.done);
      if (cont.length) st = cont[0].st;
      continue;
    }
    results.push(...branch.filter((b) => b.done));
    const cont = branch.filter((b) => !b.done);
    if (cont.length === 0) return results;
    st = cont[0].st;
  }
  results.push({ st, done: false });
  return results;
}

/** Trace a new connection through the proxy's rules (filter KINGLET-SERVICES, nat KINGLET-SERVICES, then KINGLET-POSTROUTING). */
export function tracePacket(text: string, p: Packet): Trace {
  const tables = parseRestore(text);
  const filter = walk(tables, 'filter', 'KINGLET-SERVICES', p, { mark: false, chains: [] }).some((o) => o.verdict === 'REJECT') ? 'REJECT' as const : undefined;
  const outcomes = walk(tables, 'nat', 'KINGLET-SERVICES', p, { mark: false, chains: [] }).map((o) => {
    const post = walk(tables, 'nat', 'KINGLET-POSTROUTING', p, o.st);
    return { ...(o.dnat ? { dnat: o.dnat } : {}), masquerade: post.some((x) => x.verdict === 'MASQUERADE'), chains: o.st.chains };
  });
  return { ...(filter ? { filter } : {}), outcomes };
}
