// The SQLite layout and connection settings, kept apart from the store logic so tools (tests,
// benchmarks, a future migration) can read the exact same pragmas and statements.

/**
 * WAL lets readers proceed during a write. synchronous=NORMAL does not fsync at commit (checkpoints
 * still sync, so the file never corrupts); the store acknowledges a write only after a batched
 * fdatasync of the WAL (wal-syncer.ts), so an acknowledged write still survives power loss.
 * Connections without a WAL (in-memory databases) use FULL.
 */
export const SQLITE_PRAGMAS: readonly string[] = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'busy_timeout = 5000',
];

/** Idempotent: safe to run on every open. */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  mod_rev INTEGER NOT NULL,
  create_rev INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (name, value) VALUES ('rev', 0);
-- Keys alone: the table stores values inline in its b-tree, so counting a range (a list's
-- remainingItemCount) would read every value; this narrow index lets count(*) skip them.
CREATE INDEX IF NOT EXISTS kv_keys ON kv (key);
`;

export const SQL = {
  getRev: `SELECT value FROM meta WHERE name = 'rev'`,
  setRev: `UPDATE meta SET value = ? WHERE name = 'rev'`,
  get: `SELECT key, value, mod_rev, create_rev FROM kv WHERE key = ?`,
  insert: `INSERT INTO kv (key, value, mod_rev, create_rev) VALUES (?, ?, ?, ?)`,
  update: `UPDATE kv SET value = ?, mod_rev = ? WHERE key = ?`,
  delete: `DELETE FROM kv WHERE key = ?`,
  /** half-open range [from, to); `from` is inclusive, callers pass a strict lower bound via listAfter */
  listFrom: `SELECT key, value, mod_rev, create_rev FROM kv WHERE key >= ? AND key < ? ORDER BY key LIMIT ?`,
  listAfter: `SELECT key, value, mod_rev, create_rev FROM kv WHERE key > ? AND key < ? ORDER BY key LIMIT ?`,
  countFrom: `SELECT count(*) AS n FROM kv WHERE key >= ? AND key < ?`,
  countAfter: `SELECT count(*) AS n FROM kv WHERE key > ? AND key < ?`,
} as const;

/** A row as SQLite returns it. */
export interface KvRow {
  key: string;
  value: string;
  mod_rev: number;
  create_rev: number;
}

/**
 * The smallest string greater than every string that starts with `prefix`, for an indexed range
 * scan. SQLite's BINARY collation compares UTF-8 bytes, which orders like code points, so bumping
 * the last code point is exact (a fixed '\uffff' suffix would miss keys with astral characters).
 * Returns undefined when no bound exists (empty prefix, or all U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const cps = Array.from(prefix);
  while (cps.length > 0) {
    const last = cps.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // skip the surrogate block: lone surrogates are not valid UTF-8
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return cps.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/**
 * Stands in for "no upper bound" so the range statements keep one shape: SQLite orders every BLOB
 * after every TEXT value, so `key < x''` holds for all keys and still uses the primary-key index.
 */
export const KEY_MAX: Buffer = Buffer.alloc(0);
