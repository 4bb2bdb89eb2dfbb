import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { createNodeCsr } from '../../../../agent/apiclient/bootstrap.js';
import { buildCsr, createCsr } from '../../../../agent/apiclient/node-csr.js';
import { signNodeCsr } from '../../../../apiserver/agents/sign-csr.js';
import { certSubject, createCA } from '../../../../lib/tls.js';

describe('node CSR without node-forge', () => {
  it('is a valid PKCS#10 request: subject, key and self-signature check out', () => {
    const { keyPem, csrPem } = createCsr('system:node:n1', 'system:nodes');
    expect(csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE REQUEST-----\n$/);
    const req = forge.pki.certificationRequestFromPem(csrPem);
    expect(req.verify()).toBe(true);
    expect(req.subject.getField('CN').value).toBe('system:node:n1');
    expect(req.subject.getField('O').value).toBe('system:nodes');
    const csrKey = forge.pki.publicKeyToPem(req.publicKey!);
    expect(createPublicKey(csrKey).export({ type: 'spki', format: 'der' })).toEqual(createPublicKey(keyPem).export({ type: 'spki', format: 'der' }));
  });

  it('a tampered request does not verify', () => {
    const { keyPem } = createCsr('x', 'y');
    const spki = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
    const good = buildCsr(keyPem, spki, 'system:node:n1', 'system:nodes');
    const evil = buildCsr(keyPem, spki, 'system:node:n2', 'system:nodes');
    // graft the n1 signature onto the n2 request body
    const body = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const g = body(good);
    const e = body(evil);
    const spliced = Buffer.concat([e.subarray(0, e.length - 256), g.subarray(g.length - 256)]);
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${spliced.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(forge.pki.certificationRequestFromPem(pem).verify()).toBe(false);
  });

  it('the apiserver signs it into the node client certificate', () => {
    const ca = createCA('test-ca');
    const { keyPem, csrPem } = createNodeCsr('worker-7');
    const certPem = signNodeCsr(ca, csrPem, 'worker-7');
    expect(certSubject(certPem)).toEqual({ commonName: 'system:node:worker-7', organization: ['system:nodes'] });
    const cert = new X509Certificate(certPem);
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
  });
});
