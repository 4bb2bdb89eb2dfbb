// TLS material for the control plane: a self-signed CA, serving certificates for the apiserver and
// client certificates for agents (CN system:node:NAME, O system:nodes). node-forge builds the X.509
// structures; keys come from Node's native RSA generator because pure-JS keygen takes seconds.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface CertKeyPair {
  certPem: string;
  keyPem: string;
}

export interface IssueOptions {
  commonName: string;
  organization?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client' | 'both';
  /** validity in days (default 365) */
  days?: number;
}

const CA_DAYS = 3650;
const DEFAULT_DAYS = 365;
// Tolerate small clock skew between hosts: certificates are valid from an hour ago.
const BACKDATE_MS = 60 * 60 * 1000;

function generateKey(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey: pem } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const privateKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  return { privateKey, publicKey, keyPem: pem };
}

// Positive 128-bit serial: a leading 0x00..0x7f byte keeps the DER INTEGER non-negative.
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, days: number): void {
  const now = Date.now();
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now + days * 24 * 60 * 60 * 1000);
}

function subjectAttrs(commonName: string, organization: string[] = []): forge.pki.CertificateField[] {
  const attrs: forge.pki.CertificateField[] = organization.map((o) => ({ name: 'organizationName', value: o }));
  attrs.push({ name: 'commonName', value: commonName });
  return attrs;
}

/** A self-signed CA certificate and its key (RSA 2048, SHA-256, 10 years). */
export function createCA(commonName: string): CertKeyPair {
  const { privateKey, publicKey, keyPem } = generateKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerial();
  validity(cert, CA_DAYS);
  const subject = subjectAttrs(commonName);
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/** A leaf certificate signed by ca; usage picks the extended key usage (serverAuth / clientAuth). */
export function issueCertificate(ca: CertKeyPair, opts: IssueOptions): CertKeyPair {
  for (const ip of opts.ipAddresses ?? []) {
    if (!isIP(ip)) throw new Error(`invalid IP address for certificate: ${ip}`);
  }
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const { privateKey, publicKey, keyPem } = generateKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerial();
  validity(cert, opts.days ?? DEFAULT_DAYS);
  cert.setSubject(subjectAttrs(opts.commonName, opts.organization));
  cert.setIssuer(caCert.subject.attributes);

  const altNames: Array<{ type: number; value?: string; ip?: string }> = [];
  for (const dns of unique(opts.dnsNames ?? [])) altNames.push({ type: 2, value: dns });
  for (const ip of unique(opts.ipAddresses ?? [])) altNames.push({ type: 7, ip });
  const extensions: unknown[] = [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    {
      name: 'extKeyUsage',
      serverAuth: opts.usage === 'server' || opts.usage === 'both',
      clientAuth: opts.usage === 'client' || opts.usage === 'both',
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

// kept apart so the agent can pin a CA without loading node-forge
export { certFingerprintSha256 } from './cert-fingerprint.js';

/** CN and O values of a certificate's subject (as a client certificate maps to a user). */
export function certSubject(certPem: string): { commonName: string; organization: string[] } {
  const cert = forge.pki.certificateFromPem(certPem);
  const cn = cert.subject.getField('CN') as { value?: string } | null;
  const organization = cert.subject.attributes
    .filter((a) => a.name === 'organizationName' || a.shortName === 'O')
    .map((a) => String(a.value));
  return { commonName: cn?.value ? String(cn.value) : '', organization };
}

/** DNS and IP subject alternative names of a certificate. */
export function certSubjectAltNames(certPem: string): { dnsNames: string[]; ipAddresses: string[] } {
  const cert = forge.pki.certificateFromPem(certPem);
  const ext = cert.getExtension('subjectAltName') as { altNames?: Array<{ type: number; value?: string; ip?: string }> } | null;
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const n of ext?.altNames ?? []) {
    if (n.type === 2 && n.value) dnsNames.push(n.value);
    if (n.type === 7 && n.ip) ipAddresses.push(n.ip);
  }
  return { dnsNames, ipAddresses };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
