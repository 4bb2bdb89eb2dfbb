// The node credential in the agent's data dir: node.key (0600), node.crt, ca.crt, cluster.json and
// server.json. Written once by a join, reused on every restart so the token is needed only once.
import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterSettings } from './types.js';

export interface NodeCredentials {
  keyPem: string;
  certPem: string;
  caPem: string;
  cluster: ClusterSettings;
  /** the apiserver URL the agent joined (https://HOST:PORT) */
  server: string;
  /** gRPC endpoint HOST:PORT */
  agentEndpoint: string;
}

export const CREDENTIAL_FILES = {
  key: 'node.key',
  cert: 'node.crt',
  ca: 'ca.crt',
  cluster: 'cluster.json',
  server: 'server.json',
} as const;

export function nodeCommonName(nodeName: string): string {
  return `system:node:${nodeName}`;
}

// Write-then-rename so a crash mid-write never leaves a truncated key or certificate behind.
function writeAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, path);
}

export function saveCredentials(dataDir: string, creds: NodeCredentials): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeAtomic(join(dataDir, CREDENTIAL_FILES.key), creds.keyPem, 0o600);
  writeAtomic(join(dataDir, CREDENTIAL_FILES.cert), creds.certPem, 0o644);
  writeAtomic(join(dataDir, CREDENTIAL_FILES.ca), creds.caPem, 0o644);
  writeAtomic(join(dataDir, CREDENTIAL_FILES.cluster), JSON.stringify(creds.cluster, null, 2) + '\n', 0o644);
  const server = { server: creds.server, agentEndpoint: creds.agentEndpoint };
  writeAtomic(join(dataDir, CREDENTIAL_FILES.server), JSON.stringify(server, null, 2) + '\n', 0o644);
}

export type LoadResult = { ok: true; creds: NodeCredentials } | { ok: false; reason: string };

/** Read and check the stored credential: present, parseable, for this node, signed by the CA, unexpired. */
export function loadCredentials(dataDir: string, nodeName: string, now: number = Date.now()): LoadResult {
  const missing = Object.values(CREDENTIAL_FILES).filter((f) => !existsSync(join(dataDir, f)));
  if (missing.length > 0) return { ok: false, reason: `missing ${missing.join(', ')} in ${dataDir}` };
  try {
    const read = (f: string): string => readFileSync(join(dataDir, f), 'utf8');
    const keyPem = read(CREDENTIAL_FILES.key);
    const certPem = read(CREDENTIAL_FILES.cert);
    const caPem = read(CREDENTIAL_FILES.ca);
    const cluster = JSON.parse(read(CREDENTIAL_FILES.cluster)) as ClusterSettings;
    const server = JSON.parse(read(CREDENTIAL_FILES.server)) as { server: string; agentEndpoint: string };
    const problem = checkCertificate(keyPem, certPem, caPem, nodeName, now);
    if (problem) return { ok: false, reason: problem };
    if (!server.agentEndpoint) return { ok: false, reason: `${CREDENTIAL_FILES.server} has no agentEndpoint` };
    return { ok: true, creds: { keyPem, certPem, caPem, cluster, server: server.server, agentEndpoint: server.agentEndpoint } };
  } catch (err) {
    return { ok: false, reason: `unreadable node credential in ${dataDir}: ${(err as Error).message}` };
  }
}

/** Why the certificate cannot be used (undefined when it can). */
export function checkCertificate(keyPem: string, certPem: string, caPem: string, nodeName: string, now: number): string | undefined {
  const cert = new X509Certificate(certPem);
  const ca = new X509Certificate(caPem);
  if (!cert.verify(ca.publicKey)) return 'the node certificate is not signed by the stored CA';
  if (Date.parse(cert.validTo) <= now) return `the node certificate expired at ${cert.validTo}`;
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
  if (cn !== nodeCommonName(nodeName)) return `the node certificate is for "${cn ?? ''}", not ${nodeCommonName(nodeName)}`;
  const fromKey = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  const fromCert = cert.publicKey.export({ type: 'spki', format: 'der' });
  if (!fromKey.equals(fromCert)) return 'node.key does not match node.crt';
  return undefined;
}
