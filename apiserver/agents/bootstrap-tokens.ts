// Join tokens: `K10<caSha256Hex>::<id>.<secret>`. The CA hash lets the agent pin the server without
// copying files; id + secret authenticate the Join. DIR/bootstrap-tokens.json (0600) keeps only the
// sha256 of each secret and its expiry, so a leaked file does not leak usable tokens.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { nowRfc3339 } from '../../api/types.js';
import { certFingerprintSha256 } from '../../lib/tls.js';
import { readIfExists, writeFileAtomic } from '../auth/file-io.js';

export const BOOTSTRAP_TOKENS_FILE = 'bootstrap-tokens.json';
export const DEFAULT_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export interface BootstrapTokenEntry {
  id: string;
  secretSha256: string;
  /** RFC3339 */
  expires: string;
}

export interface ParsedToken {
  caSha256: string;
  id: string;
  secret: string;
}

export type TokenCheck = { ok: true; id: string } | { ok: false; reason: 'unknown' | 'expired' };

const TOKEN_RE = /^K10([0-9a-f]{64})::([a-z0-9]{6})\.([a-z0-9]{16})$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

function randomString(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export function formatToken(t: ParsedToken): string {
  return `K10${t.caSha256}::${t.id}.${t.secret}`;
}

/** The parts of a join token, or undefined when it is not one (never echoes the secret). */
export function parseToken(text: string): ParsedToken | undefined {
  const m = TOKEN_RE.exec(text.trim());
  return m ? { caSha256: m[1]!, id: m[2]!, secret: m[3]! } : undefined;
}

/** A fresh token for this CA and the entry to store for it. */
export function generateToken(caCertPem: string, ttlMs: number, now: Date = new Date()): { token: string; entry: BootstrapTokenEntry } {
  if (!(ttlMs > 0)) throw new Error(`token ttl must be positive, got ${ttlMs}ms`);
  const parts: ParsedToken = { caSha256: certFingerprintSha256(caCertPem), id: randomString(6), secret: randomString(16) };
  return {
    token: formatToken(parts),
    entry: { id: parts.id, secretSha256: sha256Hex(parts.secret), expires: nowRfc3339(new Date(now.getTime() + ttlMs)) },
  };
}

/**
 * Checks a presented token against the stored entries: the id selects the entry, the secret is
 * compared as fixed-length digests with timingSafeEqual. Unknown ids and wrong secrets look alike.
 */
export function verifyToken(entries: BootstrapTokenEntry[], token: string, now: Date = new Date()): TokenCheck {
  const parsed = parseToken(token);
  if (!parsed) return { ok: false, reason: 'unknown' };
  const presented = Buffer.from(sha256Hex(parsed.secret), 'hex');
  let match: BootstrapTokenEntry | undefined;
  for (const e of entries) {
    const stored = Buffer.from(e.secretSha256, 'hex');
    const same = stored.length === presented.length && timingSafeEqual(stored, presented);
    if (same && e.id === parsed.id && !match) match = e;
  }
  if (!match) return { ok: false, reason: 'unknown' };
  const expires = Date.parse(match.expires);
  if (!Number.isFinite(expires) || expires <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, id: match.id };
}

/** Stored entries ([] when the file does not exist yet). */
export async function readBootstrapTokens(dataDir: string): Promise<BootstrapTokenEntry[]> {
  const text = await readIfExists(join(dataDir, BOOTSTRAP_TOKENS_FILE));
  if (text === undefined) return [];
  const doc = JSON.parse(text) as { tokens?: BootstrapTokenEntry[] };
  return Array.isArray(doc.tokens) ? doc.tokens.filter((e) => e && typeof e.id === 'string' && typeof e.secretSha256 === 'string') : [];
}

/**
 * Creates a token, appends it to DIR/bootstrap-tokens.json and returns the token text. Entries
 * expired for more than a day are dropped on the way (kept a while so "expired" stays explainable).
 */
export async function createBootstrapToken(dataDir: string, caCertPem: string, ttlMs = DEFAULT_TOKEN_TTL_MS, now: Date = new Date()): Promise<string> {
  const { token, entry } = generateToken(caCertPem, ttlMs, now);
  const keepAfter = now.getTime() - DEFAULT_TOKEN_TTL_MS;
  const tokens = (await readBootstrapTokens(dataDir)).filter((e) => Date.parse(e.expires) > keepAfter);
  tokens.push(entry);
  await writeFileAtomic(join(dataDir, BOOTSTRAP_TOKENS_FILE), JSON.stringify({ tokens }, null, 2) + '\n', 0o600);
  return token;
}
