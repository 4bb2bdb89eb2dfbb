// The cluster CA and the apiserver serving certificate in the data dir. The CA is created once and
// never replaced (every kubeconfig and agent trusts it); the serving cert is re-issued whenever it
// no longer fits: a new listen host, another CA, or close to expiry.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { createCA, issueCertificate, certSubjectAltNames, type CertKeyPair } from '../../lib/tls.js';
import { readIfExists, writeFileAtomic } from './file-io.js';

export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';
export const SERVER_CERT_FILE = 'server.crt';
export const SERVER_KEY_FILE = 'server.key';

const CA_COMMON_NAME = 'kinglet-ca';
const SERVER_COMMON_NAME = 'kinglet-apiserver';
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

export interface PkiFiles {
  ca: CertKeyPair;
  server: CertKeyPair;
  /** true when this call created the serving certificate (first start or re-issue) */
  serverIssued: boolean;
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';

/** The SANs the serving cert needs for this listen host (a wildcard adds this host's addresses). */
export function servingSans(listenHost: string, extraSans: string[] = []): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = new Set(['localhost']);
  const ipAddresses = new Set(['127.0.0.1']);
  const hosts = [...extraSans];
  if (isWildcard(listenHost)) {
    for (const addrs of Object.values(networkInterfaces())) {
      for (const a of addrs ?? []) if (a.family === 'IPv4') hosts.push(a.address);
    }
  } else {
    hosts.push(listenHost);
  }
  for (const h of hosts) (isIP(h) ? ipAddresses : dnsNames).add(h);
  return { dnsNames: [...dnsNames], ipAddresses: [...ipAddresses] };
}

async function loadPair(dataDir: string, certFile: string, keyFile: string): Promise<CertKeyPair | undefined> {
  const certPem = await readIfExists(join(dataDir, certFile));
  const keyPem = await readIfExists(join(dataDir, keyFile));
  if (certPem === undefined && keyPem === undefined) return undefined;
  if (certPem === undefined || keyPem === undefined) {
    throw new Error(`${dataDir}: found only one of ${certFile} and ${keyFile}; restore both or remove both`);
  }
  return { certPem, keyPem };
}

async function savePair(dataDir: string, certFile: string, keyFile: string, pair: CertKeyPair): Promise<void> {
  // Key first: a cert without its key on disk is the state loadPair refuses.
  await writeFileAtomic(join(dataDir, keyFile), pair.keyPem, 0o600);
  await writeFileAtomic(join(dataDir, certFile), pair.certPem, 0o644);
}

/** Whether the serving cert is from this CA, not near expiry and names every required SAN. */
export function servingCertFits(server: CertKeyPair, ca: CertKeyPair, listenHost: string, extraSans: string[] = []): boolean {
  let x: X509Certificate;
  try {
    x = new X509Certificate(server.certPem);
  } catch {
    return false;
  }
  if (!x.checkIssued(new X509Certificate(ca.certPem)) || !x.verify(new X509Certificate(ca.certPem).publicKey)) return false;
  if (Date.parse(x.validTo) - Date.now() < RENEW_BEFORE_MS) return false;
  const have = certSubjectAltNames(server.certPem);
  const need = [...extraSans, 'localhost', '127.0.0.1'];
  if (!isWildcard(listenHost)) need.push(listenHost);
  return need.every((h) => (isIP(h) ? have.ipAddresses.includes(h) : have.dnsNames.includes(h)));
}

/** Loads or creates ca.crt/ca.key and server.crt/server.key in dataDir (which must exist). */
export async function ensurePki(dataDir: string, listenHost: string, extraSans: string[] = []): Promise<PkiFiles> {
  let ca = await loadPair(dataDir, CA_CERT_FILE, CA_KEY_FILE);
  if (!ca) {
    ca = createCA(CA_COMMON_NAME);
    await savePair(dataDir, CA_CERT_FILE, CA_KEY_FILE, ca);
  }
  const existing = await loadPair(dataDir, SERVER_CERT_FILE, SERVER_KEY_FILE);
  if (existing && servingCertFits(existing, ca, listenHost, extraSans)) {
    return { ca, server: existing, serverIssued: false };
  }
  const server = issueCertificate(ca, { commonName: SERVER_COMMON_NAME, usage: 'server', ...servingSans(listenHost, extraSans) });
  await savePair(dataDir, SERVER_CERT_FILE, SERVER_KEY_FILE, server);
  return { ca, server, serverIssued: true };
}
