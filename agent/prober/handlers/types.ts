// What every probe / lifecycle handler gets and returns.
import type { RawResult } from '../probe-rules.js';

export interface ProbeTarget {
  /** the pod IP (node IP under hostNetwork): the default host of httpGet, tcpSocket and grpc */
  podIp: string;
  containerId: string;
  /** the container spec, for named ports */
  container: any;
}

export interface ProbeOutcome {
  result: RawResult;
  /** what goes into the Unhealthy event: command output, HTTP body or the error */
  output: string;
}

/** A container port by number, numeric string or name (containers[].ports[].name). */
export function resolvePort(port: unknown, container: any): number | undefined {
  if (typeof port === 'number') return port > 0 && port < 65536 ? port : undefined;
  if (typeof port !== 'string' || port === '') return undefined;
  if (/^[0-9]+$/.test(port)) return resolvePort(Number(port), container);
  const p = (container?.ports ?? []).find((x: any) => x?.name === port);
  return typeof p?.containerPort === 'number' ? p.containerPort : undefined;
}

/** host:port the way Go's net.JoinHostPort prints it (brackets for IPv6). */
export const hostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

export const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const GO_ERRNO: Record<string, string> = {
  ECONNREFUSED: 'connect: connection refused',
  EHOSTUNREACH: 'connect: no route to host',
  ENETUNREACH: 'connect: network is unreachable',
  ECONNRESET: 'read: connection reset by peer',
  ETIMEDOUT: 'i/o timeout',
};

/** A Node socket error the way Go's net package prints it ("dial tcp IP:PORT: connect: connection refused"). */
export function dialError(e: unknown, addr: string): string {
  const code = (e as { code?: string })?.code;
  const text = code && GO_ERRNO[code];
  return text ? `dial tcp ${addr}: ${text}` : errText(e);
}
