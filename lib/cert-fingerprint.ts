import { createHash, X509Certificate } from 'node:crypto';

/** Lowercase hex SHA-256 of the certificate's DER (the pin carried in join tokens). */
export function certFingerprintSha256(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}
