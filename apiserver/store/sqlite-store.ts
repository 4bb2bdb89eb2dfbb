import Database from 'better-sqlite3';
import { ApiError } from '../../lib/errors.js';
import { logger } from '../../lib/logger.js';
import type { KV, ListOptions, ListResult, Store, StoreEvent, WatchHandle } from './store.js';
import { KEY_MAX, SQL, SQLITE_PRAGMAS, SQLITE_SCHEMA, prefixUpperBound, type KvRow } from './sqlite-schema.js';
import { WalSyncer } from './wal-syncer.js';

const log = logger('store', { backend: 'sqlite' });

interface Watcher {
  fromRevision: number;
  onEvent: (ev: StoreEvent) => void;
  cancelled: boolean;
}

/** what a compare-and-swap transaction decided: missing key, lost race, or the write's result */
type CasOutcome<T> = undefined | { conflict: KV } | T;

const toKV = (r: KvRow): KV => ({ key: r.key, value: r.value, modRevision: r.mod_rev, createRevision: r.create_rev });

/**
 * The single-node store: one SQLite file. better-sqlite3 is synchronous, so every method does its
 * work before returning its Promise; that also means a write and its watch notification happen
 * before any other JavaScript runs, which the watch hub relies on for gap-free replay. A write's
 * Promise settles once the commit is durable (group commit, see wal-syncer.ts); reads settle at once.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly stmt: { [K in keyof typeof SQL]: Database.Statement };
  private rev: number;
  private readonly watchers = new Set<Watcher>();
  /** events committed while watchers were being notified; drained in order by the outer notify */
  private readonly pending: StoreEvent[] = [];
  private notifying = false;
  private closed = false;
  private readonly syncer: WalSyncer | undefined;

  constructor(readonly path: string) {
    this.db = new Database(path);
    for (const p of SQLITE_PRAGMAS) this.db.pragma(p);
    if (this.db.memory || this.db.pragma('journal_mode', { simple: true }) !== 'wal') this.db.pragma('synchronous = FULL');
    else this.syncer = new WalSyncer(`${path}-wal`);
    this.db.exec(SQLITE_SCHEMA);
    const stmt = {} as Record<string, Database.Statement>;
    for (const [name, sql] of Object.entries(SQL)) stmt[name] = this.db.prepare(sql);
    this.stmt = stmt as SqliteStore['stmt'];
    this.rev = (this.stmt.getRev.get() as { value: number }).value;
  }

  async get(key: string): Promise<KV | undefined> {
    this.assertOpen();
    const row = this.stmt.get.get(key) as KvRow | undefined;
    return row && toKV(row);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const upper = prefixUpperBound(prefix) ?? KEY_MAX;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : -1; // SQLite: LIMIT -1 = no limit
    // a continue token below the prefix would widen the range, so only honour it when it is inside
    const after = opts.afterKey !== undefined && opts.afterKey >= prefix ? opts.afterKey : undefined;
    const fetch = limit < 0 ? -1 : limit + 1; // one extra row tells whether more follow
    const rows = (
      after === undefined ? this.stmt.listFrom.all(prefix, upper, fetch) : this.stmt.listAfter.all(after, upper, fetch)
    ) as KvRow[];
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    const result: ListResult = { items: rows.map(toKV), revision: this.rev, more };
    if (more) {
      const last = rows[rows.length - 1]!.key;
      result.remaining = (this.stmt.countAfter.get(last, upper) as { n: number }).n;
    } else {
      result.remaining = 0;
    }
    return result;
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    return (this.stmt.countFrom.get(prefix, prefixUpperBound(prefix) ?? KEY_MAX) as { n: number }).n;
  }

  async create(key: string, value: string): Promise<KV> {
    this.assertOpen();
    const kv = this.db.transaction((): KV => {
      if (this.stmt.get.get(key)) throw new ApiError('AlreadyExists', 'key already exists');
      const rev = this.rev + 1;
      this.stmt.setRev.run(rev);
      this.stmt.insert.run(key, value, rev, rev);
      return { key, value, modRevision: rev, createRevision: rev };
    })();
    this.rev = kv.modRevision;
    this.notify({ type: 'put', key, kv, revision: kv.modRevision });
    await this.durable();
    return kv;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KV | { conflict: KV } | undefined> {
    this.assertOpen();
    const out = this.db.transaction((): CasOutcome<{ prev: KV; kv: KV }> => {
      const row = this.stmt.get.get(key) as KvRow | undefined;
      if (!row) return undefined;
      const prev = toKV(row);
      if (prev.modRevision !== expectedModRevision) return { conflict: prev };
      const rev = this.rev + 1;
      this.stmt.setRev.run(rev);
      this.stmt.update.run(value, rev, key);
      return { prev, kv: { key, value, modRevision: rev, createRevision: prev.createRevision } };
    })();
    if (!out || 'conflict' in out) return out;
    this.rev = out.kv.modRevision;
    this.notify({ type: 'put', key, kv: out.kv, prev: out.prev, revision: out.kv.modRevision });
    await this.durable();
    return out.kv;
  }

  async delete(
    key: string,
    expectedModRevision?: number,
  ): Promise<{ deleted: KV; revision: number } | { conflict: KV } | undefined> {
    this.assertOpen();
    const out = this.db.transaction((): CasOutcome<{ prev: KV; deleted: KV; revision: number }> => {
      const row = this.stmt.get.get(key) as KvRow | undefined;
      if (!row) return undefined;
      const prev = toKV(row);
      if (expectedModRevision !== undefined && prev.modRevision !== expectedModRevision) return { conflict: prev };
      const rev = this.rev + 1;
      this.stmt.setRev.run(rev);
      this.stmt.delete.run(key);
      // the last value, stamped with the delete's revision (what a DELETED watch event carries)
      return { prev, deleted: { ...prev, modRevision: rev }, revision: rev };
    })();
    if (!out || 'conflict' in out) return out;
    this.rev = out.revision;
    this.notify({ type: 'delete', key, kv: out.deleted, prev: out.prev, revision: out.revision });
    await this.durable();
    return { deleted: out.deleted, revision: out.revision };
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.rev;
  }

  /**
   * Live events only: this backend keeps no history (that is the watch hub's job), so anything
   * older than the current revision is Expired. A revision ahead of ours just filters.
   */
  watch(fromRevision: number, onEvent: (ev: StoreEvent) => void): WatchHandle {
    this.assertOpen();
    if (fromRevision < this.rev) {
      throw new ApiError('Expired', `too old resource version: ${fromRevision} (${this.rev})`);
    }
    const w: Watcher = { fromRevision, onEvent, cancelled: false };
    this.watchers.add(w);
    return {
      cancel: () => {
        w.cancelled = true;
        this.watchers.delete(w);
      },
    };
  }

  /** The durability settings actually in force on this connection (for diagnostics and tests). */
  settings(): { journalMode: string; synchronous: number; groupCommit: boolean } {
    this.assertOpen();
    return {
      journalMode: this.db.pragma('journal_mode', { simple: true }) as string,
      // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
      synchronous: this.db.pragma('synchronous', { simple: true }) as number,
      groupCommit: this.syncer !== undefined,
    };
  }

  /** fdatasync calls made for group commit so far (diagnostics, tests). */
  walSyncs(): number {
    return this.syncer?.syncs ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watchers.clear();
    await this.syncer?.close();
    this.db.close();
  }

  /** Settles once the commit just made is on stable storage (see wal-syncer.ts). */
  private durable(): Promise<void> {
    if (!this.syncer) return Promise.resolve();
    return this.syncer.sync().catch((err: Error) => {
      // committed and visible, but not known to be durable: fail the request loudly
      log.error({ err }, 'WAL fdatasync failed');
      throw new ApiError('InternalError', `storage sync failed: ${err.message}`);
    });
  }

  /**
   * A watcher may write from its callback (the write runs synchronously); queueing keeps every
   * watcher seeing events in revision order instead of the nested event jumping ahead.
   */
  private notify(ev: StoreEvent): void {
    this.pending.push(ev);
    if (this.notifying) return;
    this.notifying = true;
    try {
      for (let e = this.pending.shift(); e; e = this.pending.shift()) {
        for (const w of [...this.watchers]) {
          if (w.cancelled || e.revision <= w.fromRevision) continue;
          try {
            w.onEvent(e);
          } catch (err) {
            // the write is committed; one broken watcher must not fail it or starve the others
            log.error({ err, key: e.key, revision: e.revision }, 'watcher callback failed');
          }
        }
      }
    } finally {
      this.notifying = false;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`sqlite store ${this.path} is closed`);
  }
}

export function openSqliteStore(path: string): SqliteStore {
  return new SqliteStore(path);
}
