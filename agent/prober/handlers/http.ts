// httpGet probe and hook: host defaults to the pod IP, HTTPS is not verified, 200–399 is success.
// Redirects as the kubelet's client: followed (at most 10) while they stay on the same host; one to
// another host is not followed and its 3xx counts as a warning (success), so a probe never leaves
// for an address the pod did not choose as its own.
import http from 'node:http';
import https from 'node:https';
import { dialError, errText, hostPort, resolvePort, type ProbeOutcome, type ProbeTarget } from './types.js';

const MAX_REDIRECTS = 10;
/** kubelet reads at most 10 KiB of a probe's body */
const BODY_LIMIT = 10 * 1024;
export const PROBE_USER_AGENT = 'kube-probe/1.32';

export interface HttpRequestSpec {
  url: URL;
  /** header name → value; a Host header overrides the URL's host in the request only */
  headers: Record<string, string>;
}

/** Pure: the first request of an httpGet handler. Throws when the port cannot be resolved. */
export function httpRequestSpec(h: any, target: ProbeTarget): HttpRequestSpec {
  const port = resolvePort(h?.port, target.container);
  if (port === undefined) throw new Error(`unable to resolve port ${JSON.stringify(h?.port)} of container ${target.container?.name}`);
  const scheme = String(h?.scheme ?? 'HTTP').toLowerCase() === 'https' ? 'https' : 'http';
  const host = h?.host || target.podIp;
  let path: string = h?.path || '/';
  if (!path.startsWith('/')) path = `/${path}`;
  const url = new URL(`${scheme}://${hostPort(host, port)}${path}`);
  const headers: Record<string, string> = { 'User-Agent': PROBE_USER_AGENT, Accept: '*/*' };
  for (const hd of h?.httpHeaders ?? []) {
    if (!hd?.name) continue;
    // the kubelet lets a user header replace the defaults (case-insensitively)
    for (const k of Object.keys(headers)) if (k.toLowerCase() === String(hd.name).toLowerCase()) delete headers[k];
    headers[hd.name] = String(hd.value ?? '');
  }
  return { url, headers };
}

export interface HttpResponse {
  status: number;
  body: string;
  /** the response is a redirect the client chose not to follow (other host) */
  redirectStopped: boolean;
}

class DeadlineExceeded extends Error {}

/** One request; a plain timer (not AbortSignal.timeout/any, which cost more per call) bounds it. */
function once(url: URL, headers: Record<string, string>, ms: number, signal?: AbortSignal): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => void req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('probe canceled'));
    const settle = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const req = mod.request(url, { method: 'GET', headers, agent: false, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (b: Buffer) => {
        if (size < BODY_LIMIT) chunks.push(b.subarray(0, BODY_LIMIT - size));
        size += b.length;
      });
      res.on('end', () => {
        settle();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), location: res.headers.location });
      });
      res.on('error', (e) => {
        settle();
        reject(e);
      });
    });
    req.on('error', (e) => {
      settle();
      reject(e);
    });
    timer = setTimeout(() => req.destroy(new DeadlineExceeded()), Math.max(0, ms));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}

/** GET with the kubelet's redirect rules and an overall deadline. Throws on transport errors. */
export async function httpGet(spec: HttpRequestSpec, timeoutMs: number, signal?: AbortSignal): Promise<HttpResponse> {
  const deadline = Date.now() + timeoutMs;
  let url = spec.url;
  for (let hops = 0; ; hops++) {
    let r;
    try {
      r = await once(url, spec.headers, deadline - Date.now(), signal);
    } catch (e) {
      const why = e instanceof DeadlineExceeded ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)' : dialError(e, url.host);
      throw new Error(`Get "${url.href}": ${why}`);
    }
    if (r.status < 300 || r.status >= 400 || !r.location) return { status: r.status, body: r.body, redirectStopped: false };
    const next = new URL(r.location, url);
    if (next.hostname !== spec.url.hostname) return { status: r.status, body: r.body, redirectStopped: true };
    if (hops + 1 >= MAX_REDIRECTS) throw new Error(`Get "${next.href}": stopped after ${MAX_REDIRECTS} redirects`);
    url = next;
  }
}

export async function httpGetProbe(h: any, target: ProbeTarget, timeoutMs: number, signal?: AbortSignal): Promise<ProbeOutcome> {
  let r: HttpResponse;
  try {
    r = await httpGet(httpRequestSpec(h, target), timeoutMs, signal);
  } catch (e) {
    return { result: 'failure', output: errText(e) };
  }
  return classifyHttp(r);
}

/** Pure: 200–399 success (a stopped redirect: warning), anything else failure. */
export function classifyHttp(r: HttpResponse): ProbeOutcome {
  if (r.status >= 200 && r.status < 400) {
    if (r.status >= 300) return { result: 'warning', output: `Probe terminated redirects, Response body: ${r.body}` };
    return { result: 'success', output: r.body };
  }
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${r.status}` };
}
