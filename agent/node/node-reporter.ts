// Heartbeats: a Lease renewal every 10 s, and the Node status when something in it changed or at
// least once a minute (the kubelet's nodeStatusReportFrequency idea, shortened).
import type { KubeObject } from '../../api/types.js';
import { nowRfc3339 } from '../../api/types.js';
import { realClock, type Clock, type TimerHandle } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ControlPlaneLink } from '../apiclient/types.js';
import { collectNodeFacts, collectNodeReadings, type RuntimeVersionFn } from './node-info.js';
import { buildNodeObject, computeConditions, conditionsChanged, stampHeartbeat, type NodeCondition, type NodeFacts, type NodeReadings } from './node-status.js';

export interface NodeReporterOptions {
  link: Pick<ControlPlaneLink, 'sendNodeStatus' | 'renewLease'>;
  runtimeVersion: RuntimeVersionFn;
  nodeName: string;
  /** --node-ip; the first non-internal IPv4 when empty */
  nodeIp?: string;
  dataDir: string;
  log: Logger;
  leaseEveryMs?: number;
  statusEveryMs?: number;
  /** post the status at least this often even when nothing changed */
  reportEveryMs?: number;
  clock?: Clock;
  /** replace the machine readers (tests) */
  readFacts?: () => Promise<NodeFacts>;
  readReadings?: () => Promise<NodeReadings>;
}

export interface NodeReporter {
  /** the Node object last sent */
  current(): KubeObject | undefined;
  /** take a reading now and send if needed */
  refresh(): Promise<void>;
  stop(): void;
}

export async function startNodeReporter(opts: NodeReporterOptions): Promise<NodeReporter> {
  const clock = opts.clock ?? realClock;
  const leaseEvery = opts.leaseEveryMs ?? 10_000;
  const statusEvery = opts.statusEveryMs ?? 10_000;
  const reportEvery = opts.reportEveryMs ?? 60_000;
  const readFacts = opts.readFacts ?? (() => collectNodeFacts({ nodeName: opts.nodeName, nodeIp: opts.nodeIp }));
  const readReadings = opts.readReadings ?? (() => collectNodeReadings({ dataDir: opts.dataDir, runtimeVersion: opts.runtimeVersion }));
  const facts = await readFacts();

  let stopped = false;
  let conditions: NodeCondition[] | undefined;
  let lastSent: KubeObject | undefined;
  let lastSentAt = -Infinity;
  let runtimeVersion = '';
  const timers = new Set<TimerHandle>();
  let inFlight: Promise<void> | undefined;

  const every = (ms: number, fn: () => unknown): void => {
    const h = clock.setTimeout(() => {
      timers.delete(h);
      if (stopped) return;
      void Promise.resolve(fn()).finally(() => !stopped && every(ms, fn));
    }, ms);
    timers.add(h);
  };

  const round = async (): Promise<void> => {
    const readings = await readReadings();
    const now = nowRfc3339(new Date(clock.now()));
    // The last version seen stays in nodeInfo while the runtime is down; Ready says it is down.
    if (readings.runtimeVersion) runtimeVersion = readings.runtimeVersion;
    const next = computeConditions(readings, conditions, now);
    const candidate = buildNodeObject(facts, readings, next, runtimeVersion);
    const due = clock.now() - lastSentAt >= reportEvery;
    if (!due && !conditionsChanged(conditions, next) && !factsChanged(lastSent, candidate)) {
      conditions = next;
      return;
    }
    conditions = stampHeartbeat(next, now);
    candidate.status.conditions = conditions;
    lastSent = candidate;
    lastSentAt = clock.now();
    opts.link.sendNodeStatus(candidate);
  };

  const refresh = (): Promise<void> => {
    // Rounds never overlap: a slow reading (docker hanging) delays the next instead of stacking.
    inFlight ??= round()
      .catch((err: Error) => opts.log.warn({ err: err.message }, 'node status round failed'))
      .finally(() => (inFlight = undefined));
    return inFlight;
  };

  opts.link.renewLease();
  await refresh();
  every(leaseEvery, () => opts.link.renewLease());
  every(statusEvery, refresh);

  return {
    current: () => lastSent,
    refresh,
    stop: () => {
      stopped = true;
      for (const h of timers) clock.clearTimeout(h);
      timers.clear();
    },
  };
}

// Capacity, addresses and nodeInfo (ignoring conditions) differ from what was last posted.
function factsChanged(prev: KubeObject | undefined, next: KubeObject): boolean {
  if (!prev) return true;
  const strip = (n: KubeObject): string => JSON.stringify({ ...n.status, conditions: undefined, labels: n.metadata.labels });
  return strip(prev) !== strip(next);
}
