// Who is calling: a bearer token from the static table, or a CA-verified TLS client certificate
// (CN → user, O → groups, as Kubernetes maps x509 subjects). Token values are never logged.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { UserInfo } from '../registry/types.js';
import type { TokenEntry } from './token-file.js';

export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  /**
   * The peer certificate. The HTTP layer must pass it ONLY when the TLS handshake verified it
   * against the cluster CA (socket.authorized === true); otherwise null/undefined.
   */
  peerCertificate?: { subject?: { CN?: string; O?: string | string[] } } | null;
}

export interface Authenticator {
  /** undefined = unauthenticated (the HTTP layer answers 401) */
  authenticate(req: AuthRequest): UserInfo | undefined;
}

const AUTHENTICATED = 'system:authenticated';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** The token in "Authorization: Bearer <token>", if any (scheme is case-insensitive). */
export function bearerToken(headers: AuthRequest['headers']): string | undefined {
  let h = headers['authorization'] ?? headers['Authorization'];
  if (Array.isArray(h)) h = h[0];
  if (typeof h !== 'string') return undefined;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : undefined;
}

function withAuthenticated(groups: string[]): string[] {
  return groups.includes(AUTHENTICATED) ? [...groups] : [...groups, AUTHENTICATED];
}

export class TokenAuthenticator implements Authenticator {
  // Only digests are kept: comparing fixed-length sha256 values with timingSafeEqual leaks neither
  // the token nor its length through timing.
  private entries: Array<{ digest: Buffer; user: UserInfo }> = [];

  constructor(tokens: TokenEntry[] = []) {
    for (const t of tokens) this.add(t);
  }

  /** Adds (or replaces, by token) an entry — for tokens created while the server runs. */
  add(t: TokenEntry): void {
    const d = digest(t.token);
    this.entries = this.entries.filter((e) => !timingSafeEqual(e.digest, d));
    this.entries.push({ digest: d, user: { name: t.name, groups: withAuthenticated(t.groups) } });
  }

  authenticate(req: AuthRequest): UserInfo | undefined {
    // Same order as Kubernetes' union authenticator: a verified client certificate wins, then tokens.
    const cert = req.peerCertificate;
    if (cert && cert.subject && typeof cert.subject.CN === 'string' && cert.subject.CN !== '') {
      const o = cert.subject.O;
      const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
      return { name: cert.subject.CN, groups: withAuthenticated(groups) };
    }
    const token = bearerToken(req.headers);
    return token === undefined ? undefined : this.lookup(token);
  }

  private lookup(token: string): UserInfo | undefined {
    const d = digest(token);
    let found: UserInfo | undefined;
    // Visit every entry so the time taken does not depend on which one matched.
    for (const e of this.entries) {
      if (timingSafeEqual(e.digest, d) && !found) found = e.user;
    }
    return found ? { name: found.name, groups: [...found.groups] } : undefined;
  }
}

export function createAuthenticator(tokens: TokenEntry[]): TokenAuthenticator {
  return new TokenAuthenticator(tokens);
}
