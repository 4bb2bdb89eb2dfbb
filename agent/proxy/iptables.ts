// The ONLY place in the agent that runs iptables (DESIGN.md). Everything above it renders text with
// pure functions; this edge feeds that text to `iptables-restore --noflush`, which applies one
// table atomically and leaves chains it is not told about alone. execa runs the binaries as child
// processes, so a slow restore (seconds at thousands of rules, see LAB.md) never blocks the event loop.
import { execa } from 'execa';

export type IptablesTable = 'filter' | 'nat' | 'mangle' | 'raw';

/** What the proxy and the pod network need from iptables; tests pass a recording fake. */
export interface Iptables {
  /** Apply restore input (one or more `*table ... COMMIT` blocks) atomically, without flushing other chains. */
  restore(text: string): Promise<void>;
  /** `iptables-save -t TABLE` output. */
  save(table: IptablesTable): Promise<string>;
  /** One plain iptables invocation, e.g. ['-t', 'nat', '-C', 'PREROUTING', '-j', 'KINGLET-SERVICES']; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

export interface IptablesOptions {
  /** run inside this named network namespace (`ip netns exec NS ...`); tests and benches use it */
  netns?: string;
  /** binary directory override, for machines where iptables lives elsewhere */
  binDir?: string;
}

export class ExecIptables implements Iptables {
  constructor(private readonly opts: IptablesOptions = {}) {}

  private cmd(bin: string, args: string[]): [string, string[]] {
    const path = this.opts.binDir ? `${this.opts.binDir}/${bin}` : bin;
    return this.opts.netns ? ['ip', ['netns', 'exec', this.opts.netns, path, ...args]] : [path, args];
  }

  async restore(text: string): Promise<void> {
    const [file, args] = this.cmd('iptables-restore', ['--noflush', '--wait']);
    const r = await execa(file, args, { input: text, reject: false });
    if (r.exitCode !== 0) throw new Error(`iptables-restore failed (exit ${r.exitCode}): ${String(r.stderr).trim().slice(0, 2000)}`);
  }

  async save(table: IptablesTable): Promise<string> {
    const [file, args] = this.cmd('iptables-save', ['-t', table]);
    const r = await execa(file, args, { reject: false });
    if (r.exitCode !== 0) throw new Error(`iptables-save -t ${table} failed (exit ${r.exitCode}): ${String(r.stderr).trim()}`);
    return String(r.stdout);
  }

  async run(args: string[]): Promise<number> {
    const [file, full] = this.cmd('iptables', ['--wait', ...args]);
    const r = await execa(file, full, { reject: false });
    return r.exitCode ?? 1;
  }
}
