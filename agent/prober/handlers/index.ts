// Picks the handler of a probe spec (exactly one is set; validation saw to it).
import type { Runtime } from '../../runtime/runtime.js';
import { execProbe } from './exec.js';
import { grpcProbe } from './grpc.js';
import { httpGetProbe } from './http.js';
import { tcpProbe } from './tcp.js';
import type { ProbeOutcome, ProbeTarget } from './types.js';

export type HandlerKind = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc';

export type ProbeRunner = (probe: any, target: ProbeTarget, timeoutMs: number, signal?: AbortSignal) => Promise<ProbeOutcome>;

export function handlerKind(probe: any): HandlerKind | undefined {
  for (const k of ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const) if (probe?.[k]) return k;
  return undefined;
}

/** The real handlers: exec through the runtime, the network ones from the agent's own namespace. */
export function runProbeWith(runtime: Pick<Runtime, 'exec'>): ProbeRunner {
  return async (probe, target, timeoutMs, signal) => {
    switch (handlerKind(probe)) {
      case 'exec':
        return execProbe(runtime, probe.exec, target, timeoutMs, signal);
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
