import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certFingerprintSha256, certSubject, certSubjectAltNames, createCA, issueCertificate } from '../../../lib/tls.js';

describe('tls', () => {
  const ca = createCA('kinglet-ca');

  it('creates a self-signed CA quickly enough', () => {
    const t0 = Date.now();
    const other = createCA('speed');
    expect(Date.now() - t0).toBeLessThan(1500);
    const x = new X509Certificate(other.certPem);
    expect(x.ca).toBe(true);
    expect(x.checkIssued(x)).toBe(true);
    expect(x.subject).toContain('CN=speed');
  });

  it('issues a serving certificate that verifies against the CA with IP and DNS SANs', () => {
    const srv = issueCertificate(ca, {
      commonName: 'kinglet-apiserver',
      dnsNames: ['localhost', 'localhost'],
      ipAddresses: ['127.0.0.1', '10.0.0.5'],
      usage: 'server',
    });
    const caX = new X509Certificate(ca.certPem);
    const x = new X509Certificate(srv.certPem);
    expect(x.checkIssued(caX)).toBe(true);
    expect(x.verify(caX.publicKey)).toBe(true);
    expect(x.ca).toBe(false);
    expect(x.subjectAltName).toContain('DNS:localhost');
    expect(x.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x.subjectAltName).toContain('IP Address:10.0.0.5');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    expect(x.keyUsage).not.toContain('1.3.6.1.5.5.7.3.2');
    // the key matches the certificate
    const pub = createPublicKey(createPrivateKey(srv.keyPem)).export({ type: 'spki', format: 'der' });
    expect(Buffer.compare(pub, x.publicKey.export({ type: 'spki', format: 'der' }))).toBe(0);
    expect(certSubjectAltNames(srv.certPem)).toEqual({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '10.0.0.5'] });
  });

  it('issues client certificates with CN and O for nodes', () => {
    const cl = issueCertificate(ca, { commonName: 'system:node:node1', organization: ['system:nodes'], usage: 'client', days: 30 });
    const x = new X509Certificate(cl.certPem);
    expect(x.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(x.keyUsage).toContain('1.3.6.1.5.5.7.3.2'); // clientAuth
    expect(x.keyUsage).not.toContain('1.3.6.1.5.5.7.3.1');
    expect(certSubject(cl.certPem)).toEqual({ commonName: 'system:node:node1', organization: ['system:nodes'] });
    const days = (Date.parse(x.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThan(31);
  });

  it('usage both sets both EKUs', () => {
    const b = issueCertificate(ca, { commonName: 'x', usage: 'both' });
    const x = new X509Certificate(b.certPem);
    expect(x.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
  });

  it('rejects an invalid IP SAN', () => {
    expect(() => issueCertificate(ca, { commonName: 'x', ipAddresses: ['not-an-ip'], usage: 'server' })).toThrow(/invalid IP/);
  });

  it('fingerprints are the sha256 of the DER, stable and distinct', () => {
    const fp = certFingerprintSha256(ca.certPem);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(fp).toBe(new X509Certificate(ca.certPem).fingerprint256.replace(/:/g, '').toLowerCase());
    expect(certFingerprintSha256(createCA('other').certPem)).not.toBe(fp);
  });
});
