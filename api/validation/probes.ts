// Probes and lifecycle handlers: exactly one handler, sane ports and thresholds.
import { isIanaSvcName } from '../names.js';
import { forbidden, invalid, isObj, nonNegative, notSupported, portNumber, required, type Causes } from './field.js';

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
/** validation.IsHTTPHeaderName */
const HEADER_NAME = /^[-A-Za-z0-9]+$/;
const HEADER_NAME_MSG = "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')";

/** A port given as a number or an IANA service name (probes, Service targetPort). */
export function validatePortNumOrName(v: unknown, path: string): Causes {
  if (typeof v === 'number') return portNumber(path, v);
  if (typeof v === 'string') {
    if (/^[0-9]+$/.test(v)) return portNumber(path, Number(v));
    const err = isIanaSvcName(v);
    return err ? [invalid(path, v, err)] : [];
  }
  return [required(path)];
}

function validateHandler(h: Record<string, any>, path: string, allowed: readonly string[]): Causes {
  const present = allowed.filter((k) => h[k] !== undefined && h[k] !== null);
  if (present.length === 0) return [required(path, 'must specify a handler type')];
  const out: Causes = [];
  for (const extra of present.slice(1)) out.push(forbidden(`${path}.${extra}`, 'may not specify more than 1 handler type'));
  if (h.exec !== undefined && h.exec !== null) {
    if (!Array.isArray(h.exec.command) || h.exec.command.length === 0) out.push(required(`${path}.exec.command`));
  }
  if (isObj(h.httpGet)) {
    out.push(...validatePortNumOrName(h.httpGet.port, `${path}.httpGet.port`));
    const headers = h.httpGet.httpHeaders;
    if (headers !== undefined && !Array.isArray(headers)) out.push(invalid(`${path}.httpGet.httpHeaders`, headers, 'must be a list'));
    for (const [i, hd] of (Array.isArray(headers) ? headers : []).entries()) {
      if (typeof hd?.name !== 'string' || !HEADER_NAME.test(hd.name)) out.push(invalid(`${path}.httpGet.httpHeaders[${i}].name`, hd?.name ?? '', HEADER_NAME_MSG));
    }
    if (h.httpGet.scheme !== undefined && !['HTTP', 'HTTPS'].includes(h.httpGet.scheme)) {
      out.push(notSupported(`${path}.httpGet.scheme`, h.httpGet.scheme, ['HTTP', 'HTTPS']));
    }
  }
  if (isObj(h.tcpSocket)) out.push(...validatePortNumOrName(h.tcpSocket.port, `${path}.tcpSocket.port`));
  if (isObj(h.grpc)) out.push(...portNumberOnly(h.grpc.port, `${path}.grpc.port`));
  if (h.sleep !== undefined && h.sleep !== null) {
    const secs = h.sleep?.seconds;
    if (typeof secs !== 'number' || !Number.isInteger(secs) || secs <= 0) out.push(invalid(`${path}.sleep.seconds`, secs ?? null, 'must be greater than 0'));
  }
  return out;
}

const portNumberOnly = (v: unknown, path: string): Causes => portNumber(path, v);

/** kind: liveness and startup probes must have successThreshold 1. */
export function validateProbe(p: unknown, path: string, kind: 'liveness' | 'readiness' | 'startup'): Causes {
  if (p === undefined || p === null) return [];
  if (!isObj(p)) return [invalid(path, p, 'must be an object')];
  const out = validateHandler(p, path, HANDLERS);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    out.push(...nonNegative(`${path}.${f}`, p[f]));
  }
  if (kind !== 'readiness' && p.successThreshold !== undefined && p.successThreshold !== 1) {
    out.push(invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  const tgps = p.terminationGracePeriodSeconds;
  if (tgps !== undefined && tgps !== null && kind === 'readiness') {
    out.push(invalid(`${path}.terminationGracePeriodSeconds`, tgps, 'must not be set for readinessProbes'));
  } else if (tgps !== undefined && tgps !== null && (typeof tgps !== 'number' || tgps <= 0)) {
    out.push(invalid(`${path}.terminationGracePeriodSeconds`, tgps, 'must be greater than 0'));
  }
  return out;
}

export function validateLifecycle(l: unknown, path: string): Causes {
  if (l === undefined || l === null) return [];
  if (!isObj(l)) return [invalid(path, l, 'must be an object')];
  const out: Causes = [];
  for (const hook of ['postStart', 'preStop']) {
    if (isObj(l[hook])) out.push(...validateHandler(l[hook], `${path}.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
  }
  return out;
}
