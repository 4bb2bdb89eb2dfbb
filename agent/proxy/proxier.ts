// The service proxy's loop: desired Services/Endpoints → rendered rules → iptables-restore.
// Syncs are coalesced (one restore in flight at most; changes arriving meanwhile become one more
// sync), incremental (only changed chains) after a full sync at start, on a long timer and after
// any failure, and never before the desired state's first complete snapshot (the synced gate).
import type { KubeObject } from '../../api/types.js';
import { Backoff } from '../../lib/backoff.js';
import { realClock, type Clock, type TimerHandle } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Iptables } from './iptables.js';
import { flatten, JUMPS, LARGE_CLUSTER_ENDPOINTS, renderParts, restoreText, type RenderedParts, type RenderedPort, type RuleSet } from './render-rules.js';
import { servicePorts, type ServicePort } from './service-ports.js';
import { emptyParts, fullPlan, incrementalPlan, ownedChainsIn, planIsEmpty, type Plan } from './sync-plan.js';

export interface ProxySource {
  /** undefined until the first complete snapshot arrived: nothing is written before */
  snapshot(): { services: Iterable<KubeObject>; endpoints: Iterable<KubeObject> } | undefined;
}

export interface ProxierOptions {
  iptables: Iptables;
  source: ProxySource;
  clusterCidr: string;
  /** this node: endpoints elsewhere get no hairpin chain (see service-ports.ts) */
  nodeName?: string;
  log: Logger;
  /** full resync period; default 15 minutes */
  fullSyncMs?: number;
  /** chains per transaction in a full sync; 0 = one transaction; default 2000 */
  chunkChains?: number;
  clock?: Clock;
}

export interface SyncReport {
  full: boolean;
  /** restore transactions run */
  restores: number;
  chainsWritten: number;
  chainsRemoved: number;
  bytes: number;
  ms: number;
}

const countOf = (p: Plan, k: 'write' | 'remove'): number => (p.filter?.[k].length ?? 0) + (p.nat?.[k].length ?? 0);

export class Proxier {
  private applied: RenderedParts = emptyParts();
  private needFull = true;
  private dirty = false;
  private running: Promise<void> | undefined;
  private stopped = false;
  private fullTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private readonly backoff = new Backoff({ initialMs: 1000, maxMs: 30_000, jitter: 0.2 });
  private readonly clock: Clock;
  // Unchanged Services/Endpoints objects (by identity) skip recomputation and re-rendering.
  private readonly portsMemo = new WeakMap<KubeObject, { ep: KubeObject | undefined; ports: ServicePort[] }>();
  private renderMemo = new WeakMap<ServicePort, RenderedPort>();
  private endpointComments = true;
  /** the last completed sync (tests, benchmarks, logs) */
  last: SyncReport | undefined;

  constructor(private readonly opts: ProxierOptions) {
    this.clock = opts.clock ?? realClock;
  }

  start(): void {
    const period = this.opts.fullSyncMs ?? 15 * 60_000;
    const tick = (): void => {
      if (this.stopped) return;
      this.needFull = true;
      this.requestSync();
      this.fullTimer = this.clock.setTimeout(tick, period);
    };
    this.fullTimer = this.clock.setTimeout(tick, period);
    this.requestSync();
  }

  /** Ask for a sync soon; a burst of calls (and calls during a running sync) become one more sync. */
  requestSync(): void {
    if (this.stopped) return;
    this.dirty = true;
    if (!this.running) this.running = this.loop().finally(() => (this.running = undefined));
  }

  /** Resolves when no sync is running or pending. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.fullTimer !== undefined) this.clock.clearTimeout(this.fullTimer);
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    await this.idle();
  }

  private async loop(): Promise<void> {
    // let the current burst of desired-state changes land before rendering
    await new Promise<void>((r) => setImmediate(r));
    while (this.dirty && !this.stopped) {
      this.dirty = false;
      try {
        await this.syncOnce();
        this.backoff.reset();
      } catch (err) {
        this.needFull = true;
        const delay = this.backoff.next();
        this.opts.log.error({ err: (err as Error).message, retryMs: delay }, 'proxy sync failed; full resync scheduled');
        if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
        this.retryTimer = this.clock.setTimeout(() => this.requestSync(), delay);
      }
    }
  }

  /** One sync, numbered steps. Exposed for tests and the benchmark. */
  async syncOnce(): Promise<SyncReport | undefined> {
    // 1. Gate: nothing before the first complete snapshot.
    const snap = this.opts.source.snapshot();
    if (!snap) return undefined;
    const started = performance.now();
    // 2. Render everything (pure; memoised per unchanged Service, so cheap next to a restore).
    const ports = servicePorts(snap.services, snap.endpoints, this.portsMemo, { nodeName: this.opts.nodeName });
    // crossing the large-cluster line changes every endpoint rule: drop the memo, re-render all
    const endpointComments = ports.reduce((n, p) => n + p.endpoints.length, 0) <= LARGE_CLUSTER_ENDPOINTS;
    if (endpointComments !== this.endpointComments) {
      this.endpointComments = endpointComments;
      this.renderMemo = new WeakMap();
    }
    const parts = renderParts(ports, { clusterCidr: this.opts.clusterCidr, endpointComments }, this.renderMemo);
    const full = this.needFull;
    // 3. Plan: full = every chain, stale kernel chains removed; else only what changed.
    let plans: Plan[];
    let rules: RuleSet;
    if (full) {
      rules = flatten(parts);
      const existing = { nat: ownedChainsIn(await this.opts.iptables.save('nat')), filter: ownedChainsIn(await this.opts.iptables.save('filter')) };
      plans = fullPlan(rules, existing, this.opts.chunkChains ?? 2000);
    } else {
      const inc = incrementalPlan(parts, this.applied);
      rules = inc.rules;
      plans = planIsEmpty(inc.plan) ? [] : [inc.plan];
    }
    // 4. Apply, in order; one failed transaction leaves the rest for the full resync.
    let bytes = 0;
    for (const p of plans) {
      const text = restoreText(rules, p);
      bytes += text.length;
      if (text) await this.opts.iptables.restore(text);
    }
    // 5. After a full sync, make sure each built-in chain jumps to ours exactly once.
    if (full) await this.ensureJumps();
    this.applied = parts;
    this.needFull = false;
    const report: SyncReport = {
      full,
      restores: plans.length,
      chainsWritten: plans.reduce((n, p) => n + countOf(p, 'write'), 0),
      chainsRemoved: plans.reduce((n, p) => n + countOf(p, 'remove'), 0),
      bytes,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    this.last = report;
    if (plans.length > 0) this.opts.log.debug({ ...report }, 'proxy rules synced');
    return report;
  }


  private async ensureJumps(): Promise<void> {
    for (const j of JUMPS) {
      const rule = [j.chain, '-m', 'comment', '--comment', j.comment, '-j', j.target];
      if ((await this.opts.iptables.run(['-t', j.table, '-C', ...rule])) === 0) continue;
      const code = await this.opts.iptables.run(['-t', j.table, '-I', ...rule]);
      if (code !== 0) throw new Error(`iptables -t ${j.table} -I ${j.chain} -j ${j.target} failed (exit ${code})`);
    }
  }
}

export type { RuleSet };
