// Picks the handler of a probe spec (exactly one is set; validation saw to it).
import type { Runtime } from '../../runtime/runtime.js';
import { execProbe } from './exec.js';
import { grpcProbe } from './grpc.js';
import { httpGetProbe } from './http.js';
import { Limiter } from './limiter.js';
import { tcpProbe } from './tcp.js';
import { errText } from './types.js';
import type { ProbeOutcome, ProbeTarget } from './types.js';

export type HandlerKind = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc';

export type ProbeRunner = (probe: any, target: ProbeTarget, timeoutMs: number, signal?: AbortSignal) => Promise<ProbeOutcome>;

export function handlerKind(probe: any): HandlerKind | undefined {
  for (const k of ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const) if (probe?.[k]) return k;
  return undefined;
}

/**
 * Exec probes at once against the engine. Each docker exec costs the engine tens of milliseconds of
 * CPU; with 100 probes a second all in flight, every one of them times out (bench/results/probes.md)
 * and liveness would kill healthy containers. Queued probes wait for a slot and their timeout
 * starts when they get it (as before Kubernetes enforced exec timeouts at all, 1.20).
 */
export const DEFAULT_EXEC_CONCURRENCY = 4;

/** The real handlers: exec through the runtime, the network ones from the agent's own namespace. */
export function runProbeWith(runtime: Pick<Runtime, 'exec'>, execConcurrency = DEFAULT_EXEC_CONCURRENCY): ProbeRunner {
  const execs = new Limiter(execConcurrency);
  return async (probe, target, timeoutMs, signal) => {
    switch (handlerKind(probe)) {
      case 'exec':
        return execs.run(() => execProbe(runtime, probe.exec, target, timeoutMs, signal), signal).catch((e) => ({ result: 'failure' as const, output: errText(e) }));
      case 'httpGet':
        return httpGetProbe(probe.httpGet, target, timeoutMs, signal);
      case 'tcpSocket':
        return tcpProbe(probe.tcpSocket, target, timeoutMs, signal);
      case 'grpc':
        return grpcProbe(probe.grpc, target, timeoutMs, signal);
      default:
        return { result: 'failure', output: 'missing probe handler' };
    }
  };
}

export type { ProbeOutcome, ProbeTarget } from './types.js';
