// The apiserver's address and range defaults and the listen-address parser: pure, no imports
// beyond node:net, so the CLI can use them without loading the server.
import { isIP } from 'node:net';

export const DEFAULT_LISTEN = '127.0.0.1:6443';
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/16';
export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS = 40_000;

/** "HOST:PORT" or "[V6]:PORT" → parts; throws naming the bad text. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const host = m ? (m[1] ?? m[2] ?? '') : '';
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535 || host === '' || (m[1] !== undefined && isIP(host) !== 6)) {
    throw new Error(`invalid listen address "${text}": expected HOST:PORT (e.g. 127.0.0.1:6443, [::1]:6443)`);
  }
  return { host, port };
}
