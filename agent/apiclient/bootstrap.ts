// Joining: the token pins the CA, the unauthenticated bootstrap endpoint hands out the CA and the
// gRPC endpoint, and Join trades the token plus a CSR for the node's client certificate. The
// private key is generated here and never leaves the node.
import { request } from 'node:https';
import * as grpc from '@grpc/grpc-js';
import { certFingerprintSha256 } from '../../lib/cert-fingerprint.js';
import { createCsr } from './node-csr.js';
import type { Logger } from '../../lib/logger.js';
import { agentV1 } from '../../proto/load.js';
import { parseJoinToken, type JoinToken } from './join-token.js';
import { checkCertificate, loadCredentials, nodeCommonName, saveCredentials, type NodeCredentials } from './credentials-store.js';

export interface BootstrapInfo {
  caPem: string;
  agentEndpoint: string;
}

const BOOTSTRAP_PATH = '/kinglet/v1/bootstrap';
const TIMEOUT_MS = 15_000;

/** GET the bootstrap document WITHOUT verifying the server: the CA pin check comes after. */
export function fetchBootstrapInfo(server: string, timeoutMs = TIMEOUT_MS): Promise<BootstrapInfo> {
  const url = new URL(BOOTSTRAP_PATH, server);
  if (url.protocol !== 'https:') return Promise.reject(new Error(`--server must be an https:// URL, got ${server}`));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return reject(new Error(`bootstrap request to ${url.origin} failed: HTTP ${res.statusCode}`));
        try {
          const doc = JSON.parse(body) as Partial<BootstrapInfo>;
          if (typeof doc.caPem !== 'string' || typeof doc.agentEndpoint !== 'string') throw new Error('missing caPem or agentEndpoint');
          resolve({ caPem: doc.caPem, agentEndpoint: doc.agentEndpoint });
        } catch (err) {
          reject(new Error(`bootstrap response from ${url.origin} is invalid: ${(err as Error).message}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`bootstrap request to ${url.origin} timed out`)));
    req.on('error', (err) => reject(new Error(`cannot reach ${url.origin}: ${err.message}`)));
    req.end();
  });
}

/** Refuse a CA whose fingerprint is not the one the token carries (a man in the middle, or the wrong cluster). */
export function verifyCaPin(caPem: string, token: JoinToken): void {
  let fingerprint: string;
  try {
    fingerprint = certFingerprintSha256(caPem);
  } catch {
    throw new Error("the server's CA does not match the join token (the server sent no valid certificate)");
  }
  if (fingerprint !== token.caHash) throw new Error("the server's CA does not match the join token");
}

/** A fresh RSA key (native, fast) and a PEM CSR for CN=system:node:NAME, O=system:nodes. */
export function createNodeCsr(nodeName: string): { keyPem: string; csrPem: string } {
  return createCsr(nodeCommonName(nodeName), 'system:nodes');
}

/** The Join RPC over TLS verified against the pinned CA (no client certificate yet). */
export function callJoin(agentEndpoint: string, caPem: string, req: { token: string; nodeName: string; csrPem: string }): Promise<{ certificatePem: string; caPem: string; cluster: NodeCredentials['cluster'] }> {
  const Service = agentV1().AgentService;
  const client = new Service(agentEndpoint, grpc.credentials.createSsl(Buffer.from(caPem)));
  return new Promise((resolve, reject) => {
    client.Join(req, { deadline: Date.now() + TIMEOUT_MS }, (err, res) => {
      client.close();
      if (err) {
        const detail = err.details || err.message;
        return reject(new Error(err.code === grpc.status.UNAUTHENTICATED ? `join refused: ${detail}` : `join failed at ${agentEndpoint}: ${detail}`));
      }
      if (!res) return reject(new Error('join failed: empty response'));
      const c = res.cluster;
      resolve({
        certificatePem: res.certificatePem,
        caPem: res.caPem,
        cluster: {
          serviceCidr: c?.serviceCidr ?? '',
          clusterCidr: c?.clusterCidr ?? '',
          podCidr: c?.podCidr ?? '',
          clusterDns: c?.clusterDns ?? '',
          clusterDomain: c?.clusterDomain ?? 'cluster.local',
        },
      });
    });
  });
}

/** Token → pinned CA → Join → credential on disk. */
export async function joinCluster(opts: { server: string; token: string; nodeName: string; dataDir: string; log?: Logger }): Promise<NodeCredentials> {
  const token = parseJoinToken(opts.token);
  const info = await fetchBootstrapInfo(opts.server);
  verifyCaPin(info.caPem, token);
  opts.log?.info({ tokenId: token.id, agentEndpoint: info.agentEndpoint }, 'joining cluster');
  const { keyPem, csrPem } = createNodeCsr(opts.nodeName);
  const res = await callJoin(info.agentEndpoint, info.caPem, { token: token.raw, nodeName: opts.nodeName, csrPem });
  // Keep the pinned CA, not whatever the response says: the pin is what the token vouched for.
  const problem = checkCertificate(keyPem, res.certificatePem, info.caPem, opts.nodeName, Date.now());
  if (problem) throw new Error(`join returned an unusable certificate: ${problem}`);
  const creds: NodeCredentials = { keyPem, certPem: res.certificatePem, caPem: info.caPem, cluster: res.cluster, server: opts.server, agentEndpoint: info.agentEndpoint };
  saveCredentials(opts.dataDir, creds);
  opts.log?.info({ podCidr: res.cluster.podCidr }, 'joined cluster');
  return creds;
}

/**
 * The credential to connect with: the stored one when valid (a restart needs no token), else a
 * join with the token. A token for a different server than the stored one forces a new join.
 */
export async function ensureCredentials(opts: { server: string; token?: string; nodeName: string; dataDir: string; log?: Logger }): Promise<NodeCredentials> {
  if (opts.token !== undefined && opts.token !== '') parseJoinToken(opts.token);
  const stored = loadCredentials(opts.dataDir, opts.nodeName);
  if (stored.ok) {
    const sameServer = !opts.server || sameOrigin(stored.creds.server, opts.server);
    if (sameServer || !opts.token) {
      if (!sameServer) opts.log?.warn({ stored: stored.creds.server, given: opts.server }, 'using the stored node credential of another server (no token given)');
      return stored.creds;
    }
  }
  if (!opts.token) {
    const why = stored.ok ? 'joined to another server' : stored.reason;
    throw new Error(`no usable node credential in ${opts.dataDir} (${why}) and no --token given: create one with \`kinglet token create\``);
  }
  if (!stored.ok) opts.log?.info({ reason: stored.reason }, 'no usable node credential, joining');
  return joinCluster({ server: opts.server, token: opts.token, nodeName: opts.nodeName, dataDir: opts.dataDir, log: opts.log });
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return a === b;
  }
}
