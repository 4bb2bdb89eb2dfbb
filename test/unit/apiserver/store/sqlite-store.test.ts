import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../lib/errors.js';
import { openSqliteStore, type SqliteStore } from '../../../../apiserver/store/sqlite-store.js';
import { isConflictResult, type KV, type StoreEvent } from '../../../../apiserver/store/store.js';

let dir: string;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kinglet-store-'));
  store = openSqliteStore(join(dir, 'kinglet.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const expectKV = (r: unknown): KV => {
  if (!r || isConflictResult(r)) throw new Error(`expected a KV, got ${JSON.stringify(r)}`);
  return r as KV;
};

describe('sqlite store: writes', () => {
  it('runs in WAL mode with synchronous=NORMAL plus group commit', () => {
    expect(store.settings()).toEqual({ journalMode: 'wal', synchronous: 1, groupCommit: true });
  });

  it('acknowledges writes after a shared WAL fdatasync: concurrent writes share one', async () => {
    await store.create('/a', '1');
    expect(store.walSyncs()).toBe(1);
    // committed (and watchers notified) synchronously; durability awaited together
    const writes = Array.from({ length: 20 }, (_, i) => store.create(`/b/${i}`, 'v'));
    expect(await store.currentRevision()).toBe(21);
    await Promise.all(writes);
    expect(store.walSyncs()).toBeGreaterThanOrEqual(2);
    expect(store.walSyncs()).toBeLessThanOrEqual(3);
  });

  it('an in-memory store has no WAL and stays synchronous=FULL', async () => {
    const mem = openSqliteStore(':memory:');
    expect(mem.settings()).toMatchObject({ synchronous: 2, groupCommit: false });
    await mem.create('/a', '1');
    expect(mem.walSyncs()).toBe(0);
    await mem.close();
  });


  it('creates with the next revision as both mod and create revision', async () => {
    expect(await store.currentRevision()).toBe(0);
    const a = await store.create('/registry/pods/ns/a', '{"a":1}');
    expect(a).toEqual({ key: '/registry/pods/ns/a', value: '{"a":1}', modRevision: 1, createRevision: 1 });
    expect(await store.get('/registry/pods/ns/a')).toEqual(a);
    expect(await store.currentRevision()).toBe(1);
    expect(store.path).toBe(join(dir, 'kinglet.db'));
  });

  it('rejects a create on an existing key with AlreadyExists and does not bump the revision', async () => {
    await store.create('k', 'v1');
    const err = await store.create('k', 'v2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).reason).toBe('AlreadyExists');
    expect((err as ApiError).message).toBe('key already exists');
    expect(await store.currentRevision()).toBe(1);
    expect((await store.get('k'))?.value).toBe('v1');
  });

  it('updates by compare-and-swap on modRevision', async () => {
    const c = await store.create('k', 'v1');
    await store.create('other', 'x'); // rev 2: revisions are global, not per key
    const u = expectKV(await store.update('k', 'v2', c.modRevision));
    expect(u).toEqual({ key: 'k', value: 'v2', modRevision: 3, createRevision: 1 });
    const stale = await store.update('k', 'v3', c.modRevision);
    expect(stale).toEqual({ conflict: u });
    expect(await store.update('missing', 'v', 1)).toBeUndefined();
    expect(await store.currentRevision()).toBe(3);
  });

  it('deletes, guarded or not, returning the last value stamped with the delete revision', async () => {
    const a = await store.create('a', 'va');
    await store.create('b', 'vb');
    expect(await store.delete('a', a.modRevision + 100)).toEqual({ conflict: a });
    expect(await store.get('a')).toEqual(a);
    const d = await store.delete('a', a.modRevision);
    expect(d).toEqual({ deleted: { key: 'a', value: 'va', modRevision: 3, createRevision: 1 }, revision: 3 });
    expect(await store.get('a')).toBeUndefined();
    expect(await store.delete('a')).toBeUndefined();
    expect(await store.delete('b')).toMatchObject({ revision: 4 });
    expect(await store.currentRevision()).toBe(4);
  });

  it('keeps revisions strictly increasing across a mix of writes and a reopen', async () => {
    const revs: number[] = [];
    for (let i = 0; i < 5; i++) revs.push((await store.create(`k${i}`, 'v')).modRevision);
    revs.push(expectKV(await store.update('k1', 'w', 2)).modRevision);
    revs.push((await store.delete('k2'))!.revision as number);
    await store.close();
    store = openSqliteStore(join(dir, 'kinglet.db'));
    expect(await store.currentRevision()).toBe(7);
    revs.push((await store.create('k9', 'v')).modRevision);
    expect(revs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await store.get('k1')).toEqual({ key: 'k1', value: 'w', modRevision: 6, createRevision: 2 });
  });
});

describe('sqlite store: reads', () => {
  beforeEach(async () => {
    for (const k of ['/r/pods/a/1', '/r/pods/a/2', '/r/pods/a/3', '/r/pods/b/1', '/r/pods0', '/r/podsx', '/r/svc/a/1']) {
      await store.create(k, k);
    }
  });
  const keys = (items: KV[]) => items.map((i) => i.key);

  it('lists by prefix in key order, without neighbours that share a string prefix', async () => {
    const r = await store.list('/r/pods/');
    expect(keys(r.items)).toEqual(['/r/pods/a/1', '/r/pods/a/2', '/r/pods/a/3', '/r/pods/b/1']);
    expect(r).toMatchObject({ revision: 7, more: false, remaining: 0 });
    expect(keys((await store.list('/r/pods/a/')).items)).toHaveLength(3);
    expect((await store.list('')).items).toHaveLength(7);
    expect(await store.count('/r/pods/')).toBe(4);
    expect(await store.count('/r/pods/a/')).toBe(3);
    expect(await store.count('/nothing/')).toBe(0);
  });

  it('pages with limit and afterKey, reporting more and remaining', async () => {
    const p1 = await store.list('/r/pods/', { limit: 3 });
    expect(keys(p1.items)).toEqual(['/r/pods/a/1', '/r/pods/a/2', '/r/pods/a/3']);
    expect(p1).toMatchObject({ more: true, remaining: 1, revision: 7 });
    const p2 = await store.list('/r/pods/', { limit: 3, afterKey: '/r/pods/a/3' });
    expect(keys(p2.items)).toEqual(['/r/pods/b/1']);
    expect(p2).toMatchObject({ more: false, remaining: 0 });
    const exact = await store.list('/r/pods/', { limit: 4 });
    expect(exact.more).toBe(false);
    const afterOnly = await store.list('/r/pods/', { afterKey: '/r/pods/a/1' });
    expect(keys(afterOnly.items)).toEqual(['/r/pods/a/2', '/r/pods/a/3', '/r/pods/b/1']);
  });

  it('ignores an afterKey below the prefix instead of leaking other keys', async () => {
    const r = await store.list('/r/svc/', { afterKey: '/r/pods/zzz' });
    expect(keys(r.items)).toEqual(['/r/svc/a/1']);
  });

  it('includes keys with astral characters under the prefix', async () => {
    await store.create('/r/pods/\u{1F600}', 'emoji');
    expect(keys((await store.list('/r/pods/')).items)).toContain('/r/pods/\u{1F600}');
  });
});

describe('sqlite store: watch', () => {
  it('delivers put and delete events after commit, in revision order', async () => {
    const events: StoreEvent[] = [];
    const h = store.watch(0, (ev) => events.push(ev));
    const a = await store.create('a', 'v1');
    const u = expectKV(await store.update('a', 'v2', a.modRevision));
    await store.delete('a');
    expect(events).toEqual([
      { type: 'put', key: 'a', kv: a, revision: 1 },
      { type: 'put', key: 'a', kv: u, prev: a, revision: 2 },
      { type: 'delete', key: 'a', kv: { ...u, modRevision: 3 }, prev: u, revision: 3 },
    ]);
    h.cancel();
    await store.create('b', 'v');
    expect(events).toHaveLength(3);
  });

  it('sends no event for failed writes', async () => {
    await store.create('a', 'v');
    const events: StoreEvent[] = [];
    store.watch(1, (ev) => events.push(ev));
    await store.create('a', 'v').catch(() => undefined);
    await store.update('a', 'x', 99);
    await store.delete('missing');
    expect(events).toEqual([]);
  });

  it('throws Expired for a revision older than the current one (no history here)', async () => {
    await store.create('a', 'v');
    await store.create('b', 'v');
    expect(() => store.watch(1, () => undefined)).toThrowError(expect.objectContaining({ reason: 'Expired' }));
    expect(() => store.watch(2, () => undefined)).not.toThrow();
  });

  it('keeps order when a watcher writes from its callback, and survives a throwing watcher', async () => {
    const seenA: number[] = [];
    const seenB: number[] = [];
    store.watch(0, (ev) => {
      seenA.push(ev.revision);
      if (ev.key === 'first') void store.create('second', 'v');
    });
    store.watch(0, () => {
      throw new Error('broken watcher');
    });
    store.watch(0, (ev) => seenB.push(ev.revision));
    await store.create('first', 'v');
    expect(seenA).toEqual([1, 2]);
    expect(seenB).toEqual([1, 2]);
    expect(await store.get('second')).toBeDefined();
  });
});
