// The node's certificate signing request, DER-encoded by hand with node:crypto: a CSR is three
// small ASN.1 structures, and a general X.509 library would cost the agent several MiB of memory
// for the rest of its life just to make one on the first join.
import { generateKeyPairSync, sign } from 'node:crypto';

function der(tag: number, body: Buffer): Buffer {
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

const seq = (...parts: Buffer[]): Buffer => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => der(0x31, Buffer.concat(parts));
const utf8 = (s: string): Buffer => der(0x0c, Buffer.from(s, 'utf8'));
const OID_O = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x0a]);
const OID_CN = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]);
/** sha256WithRSAEncryption (1.2.840.113549.1.1.11) with NULL parameters */
const SHA256_RSA = seq(Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), Buffer.from([0x05, 0x00]));

/** PKCS#10 request for subject O=organization, CN=commonName, signed with the key (PEM in and out). */
export function buildCsr(keyPem: string, spkiDer: Buffer, commonName: string, organization: string): string {
  const subject = seq(set(seq(OID_O, utf8(organization))), set(seq(OID_CN, utf8(commonName))));
  // version 0, subject, public key, no attributes ([0] IMPLICIT SET, empty)
  const info = seq(Buffer.from([0x02, 0x01, 0x00]), subject, spkiDer, Buffer.from([0xa0, 0x00]));
  const signature = sign('sha256', info, keyPem);
  const csr = seq(info, SHA256_RSA, der(0x03, Buffer.concat([Buffer.from([0x00]), signature])));
  const b64 = csr.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE REQUEST-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE REQUEST-----\n`;
}

/** A fresh RSA key (native, fast) and its CSR. */
export function createCsr(commonName: string, organization: string): { keyPem: string; csrPem: string } {
  const { privateKey: keyPem, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'der' },
  });
  return { keyPem, csrPem: buildCsr(keyPem, publicKey, commonName, organization) };
}
