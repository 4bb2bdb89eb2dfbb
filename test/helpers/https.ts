// Raw HTTPS to the apiserver with the data dir's CA and bearer token. Node's fetch cannot be given a
// custom CA per request, so this uses https.request; one keep-alive agent per target.
import https from 'node:https';

export interface Target {
  url: string;
  caPem: string;
  token: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const agents = new Map<string, https.Agent>();
function agentFor(t: Target): https.Agent {
  const key = `${t.url}|${t.caPem.length}`;
  let a = agents.get(key);
  if (!a) {
    a = new https.Agent({ ca: t.caPem, keepAlive: true, maxSockets: 16 });
    agents.set(key, a);
  }
  return a;
}

export interface RequestOptions {
  body?: string | Buffer | object;
  contentType?: string;
  headers?: Record<string, string>;
  /** override the bearer token (e.g. a wrong one) */
  token?: string;
  timeoutMs?: number;
}

export function request(t: Target, method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
  const body =
    opts.body === undefined ? undefined
    : typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body
    : JSON.stringify(opts.body);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Authorization: `Bearer ${opts.token ?? t.token}`,
    ...opts.headers,
  };
  if (body !== undefined) {
    headers['Content-Type'] = opts.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, t.url), { method, headers, agent: agentFor(t) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

export function json<T = Record<string, any>>(r: RawResponse): T {
  try {
    return JSON.parse(r.body) as T;
  } catch {
    throw new Error(`not JSON (status ${r.status}): ${r.body.slice(0, 300)}`);
  }
}

export interface WatchEvent {
  type: string;
  object: Record<string, any>;
}

export interface RawWatch {
  status: number;
  events: WatchEvent[];
  /** resolves with the first event (already received or future) that matches */
  waitFor(pred: (e: WatchEvent) => boolean, timeoutMs?: number): Promise<WatchEvent>;
  close(): void;
  ended: Promise<void>;
}

/** Opens a watch (path must include ?watch=true or be a watch URL) and collects newline-delimited events. */
export function openWatch(t: Target, path: string): Promise<RawWatch> {
  return new Promise((resolve, reject) => {
    const headers = { Accept: 'application/json', Authorization: `Bearer ${t.token}` };
    // No keep-alive agent: the socket is destroyed on close and must not be reused.
    const req = https.request(new URL(path, t.url), { method: 'GET', headers, ca: t.caPem, agent: false }, (res) => {
      const events: WatchEvent[] = [];
      const waiters: { pred: (e: WatchEvent) => boolean; resolve: (e: WatchEvent) => void }[] = [];
      let buf = '';
      let endResolve!: () => void;
      const ended = new Promise<void>((r) => (endResolve = r));
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          const ev = JSON.parse(line) as WatchEvent;
          events.push(ev);
          for (const w of [...waiters]) {
            if (w.pred(ev)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(ev);
            }
          }
        }
      });
      res.on('end', () => endResolve());
      res.on('close', () => endResolve());
      res.on('error', () => endResolve());
      resolve({
        status: res.statusCode ?? 0,
        events,
        ended,
        close: () => req.destroy(),
        waitFor(pred, timeoutMs = 15_000) {
          const hit = events.find(pred);
          if (hit) return Promise.resolve(hit);
          return new Promise((res2, rej2) => {
            const timer = setTimeout(() => rej2(new Error(`watch event not seen in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.type))}`)), timeoutMs);
            waiters.push({ pred, resolve: (e) => (clearTimeout(timer), res2(e)) });
          });
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Builds a request target from a started server. */
export function targetOf(s: { url: string; caPem: string; token: string }): Target {
  return { url: s.url, caPem: s.caPem, token: s.token };
}
