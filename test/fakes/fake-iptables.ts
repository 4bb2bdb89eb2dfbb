// An in-memory Iptables for unit tests: restore() applies `iptables-restore --noflush` semantics
// to a model of the tables (declaring a chain flushes it, -X deletes it, a jump to a missing chain
// or deleting a referenced chain fails the whole transaction, as the kernel does), save() prints the
// model, run() knows -C and -I. Every call is recorded in `calls`; injectError fails the next restore.
import type { Iptables, IptablesTable } from '../../agent/proxy/iptables.js';

const BUILTIN: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};
const TARGETS = new Set(['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'DNAT', 'SNAT', 'MASQUERADE', 'MARK']);

type Model = Record<string, Map<string, string[]>>;

export class FakeIptables implements Iptables {
  readonly calls: string[] = [];
  /** the text of every successful restore, in order */
  readonly restores: string[] = [];
  private tables: Model = Object.fromEntries(Object.entries(BUILTIN).map(([t, cs]) => [t, new Map(cs.map((c) => [c, [] as string[]]))]));
  private errors: Error[] = [];

  injectError(err: Error = new Error('iptables-restore: injected failure')): void {
    this.errors.push(err);
  }

  chains(table: IptablesTable): Map<string, string[]> {
    return this.tables[table];
  }

  async restore(text: string): Promise<void> {
    this.calls.push(`restore ${text.length}`);
    const err = this.errors.shift();
    if (err) throw err;
    const next: Model = Object.fromEntries(Object.entries(this.tables).map(([t, m]) => [t, new Map([...m].map(([c, r]) => [c, [...r]]))]));
    let cur: Map<string, string[]> | undefined;
    const deleted: string[] = [];
    for (const line of text.split('\n')) {
      if (line === '' || line === 'COMMIT') continue;
      if (line.startsWith('*')) cur = next[line.slice(1)];
      else if (line.startsWith(':')) cur!.set(line.slice(1).split(' ')[0], []);
      else if (line.startsWith('-A ')) {
        const chain = line.split(' ')[1];
        if (!cur!.has(chain)) throw new Error(`iptables-restore: chain ${chain} does not exist`);
        cur!.get(chain)!.push(line);
      } else if (line.startsWith('-X ')) {
        deleted.push(line.slice(3));
        cur!.delete(line.slice(3));
      } else throw new Error(`iptables-restore: cannot parse ${line}`);
    }
    for (const m of Object.values(next)) {
      for (const rules of m.values()) {
        for (const r of rules) {
          const target = / -j (\S+)/.exec(r)?.[1];
          if (target && !TARGETS.has(target) && !m.has(target)) throw new Error(`iptables-restore: jump to missing chain ${target}${deleted.includes(target) ? ' (deleted while referenced)' : ''}`);
        }
      }
    }
    this.tables = next;
    this.restores.push(text);
  }

  async save(table: IptablesTable): Promise<string> {
    this.calls.push(`save ${table}`);
    const m = this.tables[table];
    const lines = [`*${table}`, ...[...m.keys()].map((c) => `:${c} ${BUILTIN[table].includes(c) ? 'ACCEPT' : '-'} [0:0]`)];
    for (const rules of m.values()) lines.push(...rules);
    return `${[...lines, 'COMMIT'].join('\n')}\n`;
  }

  async run(args: string[]): Promise<number> {
    this.calls.push(`run ${args.join(' ')}`);
    const [flagT, table, op, chain, ...rest] = args;
    if (flagT !== '-t') return 2;
    const rules = this.tables[table]?.get(chain);
    if (!rules) return 1;
    const line = `-A ${chain} ${rest.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}`;
    if (op === '-C') return rules.includes(line) ? 0 : 1;
    if (op === '-I') {
      const target = rest[rest.indexOf('-j') + 1];
      if (!this.tables[table].has(target)) return 1;
      rules.unshift(line);
      return 0;
    }
    return 2;
  }
}
