// The static token table in DATA_DIR/tokens.json (mode 0600). The admin token is created once and
// never regenerated; later issues append bootstrap/node tokens through the same file.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readIfExists, writeFileAtomic } from './file-io.js';

export interface TokenEntry {
  token: string;
  name: string;
  groups: string[];
}

export const TOKENS_FILE = 'tokens.json';
export const ADMIN_USER = 'admin';
export const ADMIN_GROUPS = ['system:masters', 'system:authenticated'];

/** 32 random bytes, hex: the shape of every static token kinglet creates. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Reads the token table; undefined when the file does not exist. */
export async function readTokenFile(dataDir: string): Promise<TokenEntry[] | undefined> {
  const text = await readIfExists(join(dataDir, TOKENS_FILE));
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as { tokens?: unknown };
  if (!parsed || !Array.isArray(parsed.tokens)) throw new Error(`${TOKENS_FILE}: expected {"tokens": [...]}`);
  return parsed.tokens.map((t, i) => {
    const e = t as Partial<TokenEntry>;
    if (typeof e.token !== 'string' || e.token === '' || typeof e.name !== 'string' || e.name === '') {
      throw new Error(`${TOKENS_FILE}: entry ${i} needs a non-empty token and name`);
    }
    const groups = Array.isArray(e.groups) ? e.groups.map(String) : [];
    return { token: e.token, name: e.name, groups };
  });
}

/** Writes the table atomically (temp file + rename) with mode 0600, so a crash never leaves half a file. */
export async function writeTokenFile(dataDir: string, tokens: TokenEntry[]): Promise<void> {
  await writeFileAtomic(join(dataDir, TOKENS_FILE), JSON.stringify({ tokens }, null, 2) + '\n', 0o600);
}

/** Loads the table, creating it with a fresh admin token on first start. */
export async function ensureTokenFile(dataDir: string): Promise<TokenEntry[]> {
  const existing = await readTokenFile(dataDir);
  if (existing) {
    if (!existing.some((t) => t.name === ADMIN_USER)) {
      throw new Error(`${TOKENS_FILE} has no "${ADMIN_USER}" entry; refusing to invent a new admin token`);
    }
    return existing;
  }
  const tokens = [{ token: newToken(), name: ADMIN_USER, groups: [...ADMIN_GROUPS] }];
  await writeTokenFile(dataDir, tokens);
  return tokens;
}

export function adminToken(tokens: TokenEntry[]): string {
  const admin = tokens.find((t) => t.name === ADMIN_USER);
  if (!admin) throw new Error(`no "${ADMIN_USER}" token`);
  return admin.token;
}
