// INTERIM node source for the pod network: lists /api/v1/nodes over HTTPS with the node's own client
// certificate (nodes may read Node objects) every few seconds and nudges when the routable facts
// (name, podCIDR, InternalIP, deletion) changed.
// TODO(lead): once the agent stream carries Node objects (h-proxy's desired.nodes()), drop this file
// and wire PodNetwork with listNodes: () => desired.nodes() plus a nudge on Node changes.
import { request } from 'node:https';
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../lib/logger.js';
import { loadCredentials } from '../apiclient/credentials-store.js';

export interface NodePollerOptions {
  server: string;
  dataDir: string;
  nodeName: string;
  log: Logger;
  onChange(): void;
  everyMs?: number;
}

function getJson(url: URL, tls: { key: string; cert: string; ca: string }, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', ...tls, timeout: timeoutMs, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return reject(new Error(`GET ${url.pathname}: HTTP ${res.statusCode}`));
        try {
          resolve(JSON.parse(body));
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** The part of a Node that routing depends on; equal fingerprints need no sync. */
export function routingFingerprint(nodes: KubeObject[]): string {
  return nodes
    .map((n) => {
      const ip = (n.status?.addresses as { type?: string; address?: string }[] | undefined)?.find((a) => a.type === 'InternalIP')?.address ?? '';
      return `${n.metadata.name}|${n.spec?.podCIDR ?? ''}|${ip}|${n.metadata.deletionTimestamp ? 'D' : ''}`;
    })
    .sort()
    .join(',');
}

export class NodePoller {
  private nodes: KubeObject[] = [];
  private fingerprint = '';
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;

  constructor(private readonly opts: NodePollerOptions) {}

  list(): KubeObject[] {
    return this.nodes;
  }

  start(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.everyMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const creds = loadCredentials(this.opts.dataDir, this.opts.nodeName);
      if (!creds.ok) throw new Error(creds.reason);
      const doc = (await getJson(new URL('/api/v1/nodes', this.opts.server), { key: creds.creds.keyPem, cert: creds.creds.certPem, ca: creds.creds.caPem })) as { items?: KubeObject[] };
      const nodes = doc.items ?? [];
      const fp = routingFingerprint(nodes);
      this.nodes = nodes;
      if (fp !== this.fingerprint) {
        this.fingerprint = fp;
        this.opts.onChange();
      }
    } catch (e) {
      this.opts.log.warn({ err: (e as Error).message }, 'listing nodes for the pod network failed');
    } finally {
      this.inFlight = false;
    }
  }
}
