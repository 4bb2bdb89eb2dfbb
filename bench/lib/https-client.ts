// Minimal HTTPS client for the benchmark: keep-alive requests with the cluster CA and bearer token,
// and a newline-delimited watch stream. Loopback only.
import https from 'node:https';

export interface Target {
  url: string;
  caPem: string;
  token: string;
}

export interface Response {
  status: number;
  body: string;
}

export class Client {
  private readonly agent: https.Agent;
  constructor(private readonly t: Target, maxSockets = 32) {
    this.agent = new https.Agent({ ca: t.caPem, keepAlive: true, maxSockets });
  }

  request(method: string, path: string, body?: object): Promise<Response> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${this.t.token}` };
    if (data !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(data));
    }
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(path, this.t.url), { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(data);
    });
  }

  /** Opens a watch; onEvent gets each parsed event. Resolves once headers arrived; returns a closer. */
  watch(path: string, onEvent: (type: string, obj: { metadata?: { name?: string } }) => void): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const headers = { Accept: 'application/json', Authorization: `Bearer ${this.t.token}` };
      const req = https.request(new URL(path, this.t.url), { method: 'GET', headers, ca: this.t.caPem, agent: false }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          buf += d;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim()) {
              const ev = JSON.parse(line) as { type: string; object: { metadata?: { name?: string } } };
              onEvent(ev.type, ev.object);
            }
          }
        });
        res.on('error', () => undefined);
        resolve(() => req.destroy());
      });
      req.on('error', (e) => reject(e));
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
