// Keeps this node's pod network level-triggered: on every nudge (a Node came, went or changed) and
// on a resync timer it plans routes and rules from the full node list and applies the difference.
// Syncs are serialized; a nudge during a sync runs one more sync after it. Failures are logged and
// retried on the next tick, never thrown to the agent.
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../lib/logger.js';
import type { Iptables } from '../proxy/iptables.js';
import type { IpNet } from './ip.js';
import { NETWORK_JUMPS, SERVICE_BRIDGE, desiredRoutes, diffRoutes, renderNetworkRules, type NetworkSelf } from './plan.js';

export interface PodNetworkDeps {
  self: NetworkSelf;
  ip: IpNet;
  iptables: Iptables;
  /** every Node object the agent knows (the whole cluster, its own included) */
  listNodes(): Promise<KubeObject[]> | KubeObject[];
  log: Logger;
  /** full resync period; 0 disables the timer (tests drive sync() directly) */
  resyncMs?: number;
}

export interface SyncResult {
  added: string[];
  removed: string[];
  errors: string[];
}

export class PodNetwork {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** rules are static per node: written once, then only re-checked on resync */
  private lastRules = '';

  constructor(private readonly deps: PodNetworkDeps) {}

  start(): void {
    this.nudge();
    const every = this.deps.resyncMs ?? 30_000;
    if (every > 0) {
      this.timer = setInterval(() => this.nudge(true), every);
      this.timer.unref();
    }
  }

  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    return this.running ?? Promise.resolve();
  }

  /** "look again soon"; full: rewrite the rules even when unchanged (the resync net) */
  nudge(full = false): void {
    if (this.stopped) return;
    if (full) this.lastRules = '';
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const r = await this.sync().catch((e: Error) => ({ added: [], removed: [], errors: [e.message] }));
        if (r.errors.length) this.deps.log.warn({ errors: r.errors }, 'pod network sync had errors; retrying on the next tick');
        else if (r.added.length || r.removed.length) this.deps.log.info({ added: r.added, removed: r.removed }, 'pod network routes updated');
      } while (this.again && !this.stopped);
      this.running = undefined;
    })();
  }

  /** One full pass. Exposed for tests; use nudge() otherwise. */
  async sync(): Promise<SyncResult> {
    const { ip, iptables, self } = this.deps;
    const errors: string[] = [];
    // 1. Rules first: without the FORWARD accept, routed pod traffic is dropped anyway.
    const rules = renderNetworkRules(self);
    if (rules !== this.lastRules) {
      try {
        await iptables.restore(rules);
        for (const [table, chain, ours] of NETWORK_JUMPS) {
          // -C then -I: restore --noflush cannot "insert unless present"; first, so Docker's own
          // FORWARD rules and POSTROUTING masquerades never decide before ours
          if ((await iptables.run(['-t', table, '-C', chain, '-j', ours])) !== 0) {
            const code = await iptables.run(['-t', table, '-I', chain, '1', '-j', ours]);
            if (code !== 0) throw new Error(`iptables -t ${table} -I ${chain} 1 -j ${ours} exited ${code}`);
          }
        }
        this.lastRules = rules;
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    // 2. The service bridge must exist before a route can point at it.
    try {
      await ip.ensureBridge(SERVICE_BRIDGE);
    } catch (e) {
      errors.push((e as Error).message);
    }
    // 3. Routes: plan from the full node list, apply only the difference.
    const desired = desiredRoutes(await this.deps.listNodes(), self);
    const { replace, remove } = diffRoutes(await ip.ownedRoutes(), desired);
    const added: string[] = [];
    const removed: string[] = [];
    for (const r of replace) {
      try {
        await ip.replaceRoute(r);
        added.push(`${r.dst} ${r.via ? `via ${r.via}` : `dev ${r.dev}`}`);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    for (const dst of remove) {
      try {
        await ip.deleteRoute(dst);
        removed.push(dst);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    return { added, removed, errors };
  }
}
