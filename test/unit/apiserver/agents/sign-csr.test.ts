import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { signNodeCsr } from '../../../../apiserver/agents/sign-csr.js';
import { certSubject, createCA } from '../../../../lib/tls.js';

let ca: { certPem: string; keyPem: string };
beforeAll(() => {
  ca = createCA('test-ca');
});

function csr(cn: string, org: string, tamper = false): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const req = forge.pki.createCertificationRequest();
  req.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  req.setSubject([
    { name: 'commonName', value: cn },
    { name: 'organizationName', value: org },
  ]);
  req.sign(key, forge.md.sha256.create());
  const pem = forge.pki.certificationRequestToPem(req);
  if (!tamper) return pem;
  // Flip a bit in the signature (the DER's last bytes): possession of the key is no longer proven.
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  der[der.length - 5] = der[der.length - 5]! ^ 0x01;
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
}

describe('signNodeCsr', () => {
  it('forces CN=system:node:NAME and O=system:nodes whatever the CSR asks, clientAuth, signed by the CA', () => {
    const pem = signNodeCsr(ca, csr('admin', 'system:masters'), 'node-a');
    expect(certSubject(pem)).toEqual({ commonName: 'system:node:node-a', organization: ['system:nodes'] });
    const x = new X509Certificate(pem);
    const caX = new X509Certificate(ca.certPem);
    expect(x.checkIssued(caX)).toBe(true);
    expect(x.verify(caX.publicKey)).toBe(true);
    expect(x.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
    expect(x.keyUsage).not.toContain('1.3.6.1.5.5.7.3.1');
    const days = (Date.parse(x.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThan(366);
  });

  it('refuses a CSR whose signature does not verify, and garbage', () => {
    expect(() => signNodeCsr(ca, csr('system:node:node-a', 'system:nodes', true), 'node-a')).toThrow(/signature does not verify/);
    expect(() => signNodeCsr(ca, 'not a csr', 'node-a')).toThrow(/invalid certificate signing request/);
  });
});
