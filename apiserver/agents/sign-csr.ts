// Turns a node's CSR into its client certificate. Only the CSR's public key is used (after its
// self-signature proves possession of the private key): the subject is forced to the node identity
// and the usage to clientAuth, whatever the CSR asks for.
import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { ApiError } from '../../lib/errors.js';
import type { CertKeyPair } from '../../lib/tls.js';

export const NODE_CERT_DAYS = 365;
const BACKDATE_MS = 60 * 60 * 1000;

export function nodeUserName(nodeName: string): string {
  return `system:node:${nodeName}`;
}

/** PEM client certificate CN=system:node:NAME, O=system:nodes, signed by ca. Throws BadRequest on a bad CSR. */
export function signNodeCsr(ca: CertKeyPair, csrPem: string, nodeName: string, days = NODE_CERT_DAYS, now: Date = new Date()): string {
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch (e) {
    throw new ApiError('BadRequest', `invalid certificate signing request: ${(e as Error).message}`);
  }
  const publicKey = csr.publicKey;
  let verified = false;
  try {
    // forge throws (rather than returning false) on some corrupt signatures.
    verified = !!publicKey && csr.verify();
  } catch {
    verified = false;
  }
  if (!verified || !publicKey) throw new ApiError('BadRequest', 'invalid certificate signing request: signature does not verify');

  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - BACKDATE_MS);
  cert.validity.notAfter = new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
  cert.setSubject([
    { name: 'organizationName', value: 'system:nodes' },
    { name: 'commonName', value: nodeUserName(nodeName) },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}
