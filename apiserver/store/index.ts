import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** directory for the SQLite file (created when missing) */
  dataDir: string;
  /** when set, the etcd backend is used instead of SQLite */
  etcdEndpoints?: string[];
}

/** The composition root's one way to get a Store: SQLite by default, etcd when endpoints are given. */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  if (opts.etcdEndpoints && opts.etcdEndpoints.length > 0) {
    throw new Error('etcd backend not implemented yet');
  }
  mkdirSync(opts.dataDir, { recursive: true });
  return openSqliteStore(join(opts.dataDir, 'kinglet.db'));
}

export type { KV, ListOptions, ListResult, Store, StoreEvent, WatchHandle } from './store.js';
export { isConflictResult } from './store.js';
export { openSqliteStore, SqliteStore } from './sqlite-store.js';
export { WatchHub, type WatchHubOptions } from './watch-hub.js';
