import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../lib/errors.js';
import { openSqliteStore, type SqliteStore } from '../../../../apiserver/store/sqlite-store.js';
import type { StoreEvent } from '../../../../apiserver/store/store.js';
import { WatchHub } from '../../../../apiserver/store/watch-hub.js';

let store: SqliteStore;
let hub: WatchHub;

beforeEach(() => {
  store = openSqliteStore(':memory:');
});
afterEach(async () => {
  hub?.stop();
  await store.close();
});

async function startHub(historySize?: number): Promise<WatchHub> {
  hub = new WatchHub(store, { historySize });
  await hub.start();
  return hub;
}

const revs = (evs: StoreEvent[]) => evs.map((e) => e.revision);
const expired = (fn: () => unknown): ApiError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError && e.reason === 'Expired') return e;
    throw e;
  }
  throw new Error('expected Expired');
};

describe('WatchHub', () => {
  it('refuses subscriptions before start', () => {
    expect(() => new WatchHub(store).subscribe('', 0, () => undefined)).toThrow(/not started/);
  });

  it('delivers live events under the prefix only, and stops after cancel', async () => {
    await store.create('/p/x', 'pre-start');
    await startHub();
    expect(hub.currentRevision()).toBe(1);
    const got: StoreEvent[] = [];
    const sub = hub.subscribe('/a/', hub.currentRevision(), (ev) => got.push(ev));
    await store.create('/a/1', 'v');
    await store.create('/b/1', 'v');
    await store.create('/ab', 'v');
    await store.delete('/a/1');
    expect(got.map((e) => [e.type, e.key, e.revision])).toEqual([
      ['put', '/a/1', 2],
      ['delete', '/a/1', 5],
    ]);
    expect(got[1]!.kv.value).toBe('v');
    expect(hub.currentRevision()).toBe(5);
    sub.cancel();
    await store.create('/a/2', 'v');
    expect(got).toHaveLength(2);
  });

  it('replays buffered events after fromRevision, then continues live without duplicates', async () => {
    await startHub();
    for (let i = 1; i <= 6; i++) await store.create(`/k/${i % 2 ? 'odd' : 'even'}/${i}`, 'v');
    const odd: StoreEvent[] = [];
    const all: StoreEvent[] = [];
    hub.subscribe('/k/odd/', 2, (ev) => odd.push(ev));
    hub.subscribe('', 4, (ev) => all.push(ev));
    expect(revs(odd)).toEqual([3, 5]);
    expect(revs(all)).toEqual([5, 6]);
    await store.create('/k/odd/7', 'v');
    expect(revs(odd)).toEqual([3, 5, 7]);
    expect(revs(all)).toEqual([5, 6, 7]);
  });

  it('is Expired for revisions before the hub started', async () => {
    await store.create('a', 'v');
    await store.create('b', 'v');
    await startHub();
    expect(hub.oldestRevision()).toBe(2);
    const e = expired(() => hub.subscribe('', 1, () => undefined));
    expect(e.code).toBe(410);
    expect(e.message).toBe('too old resource version: 1 (2)');
    expect(() => hub.subscribe('', 2, () => undefined)).not.toThrow();
  });

  it('is Expired once the ring dropped events the client still needs', async () => {
    await startHub(3);
    for (let i = 1; i <= 5; i++) await store.create(`k${i}`, 'v');
    // ring holds 3,4,5: resuming from 2 is still complete, from 1 is not
    expect(hub.oldestRevision()).toBe(2);
    expect(expired(() => hub.subscribe('', 1, () => undefined)).message).toBe('too old resource version: 1 (2)');
    const got: StoreEvent[] = [];
    hub.subscribe('', 2, (ev) => got.push(ev));
    expect(revs(got)).toEqual([3, 4, 5]);
    for (let i = 6; i <= 20; i++) await store.create(`k${i}`, 'v');
    expect(revs(got)).toEqual(Array.from({ length: 18 }, (_, i) => i + 3));
    expect(hub.oldestRevision()).toBe(17);
    expect(hub.subscribe('', 20, () => undefined)).toBeDefined();
  });

  it('bounds the history by bytes too, dropping the oldest events first', async () => {
    hub = new WatchHub(store, { historySize: 100, historyBytes: 40 });
    await hub.start();
    for (let i = 1; i <= 5; i++) await store.create(`k${i}`, 'x'.repeat(8)); // 10 bytes each (key + value)
    expect(hub.historyStats()).toEqual({ events: 4, bytes: 40 });
    expect(hub.oldestRevision()).toBe(1);
    expect(expired(() => hub.subscribe('', 0, () => undefined)).message).toBe('too old resource version: 0 (1)');
    const got: StoreEvent[] = [];
    hub.subscribe('', 1, (ev) => got.push(ev));
    expect(revs(got)).toEqual([2, 3, 4, 5]);
    // an event larger than the whole budget is still kept (alone)
    await store.create('big', 'y'.repeat(100));
    expect(hub.historyStats().events).toBe(1);
    expect(revs(got)).toEqual([2, 3, 4, 5, 6]);
  });

  it("shares an update's previous value with the event that wrote it", async () => {
    await startHub();
    await store.create('k', 'v1');
    const got: StoreEvent[] = [];
    hub.subscribe('', 0, (ev) => got.push(ev));
    await store.update('k', 'v2', 1);
    await store.delete('k');
    expect(got.map((e) => [e.type, e.kv.value, e.prev?.value])).toEqual([
      ['put', 'v1', undefined],
      ['put', 'v2', 'v1'],
      ['delete', 'v2', 'v2'],
    ]);
    expect(got[1]!.prev).toBe(got[0]!.kv);
    expect(got[2]!.prev).toBe(got[1]!.kv);
    expect(got[2]!.kv.modRevision).toBe(3);
    expect(hub.historyStats().bytes).toBe(3 * ('k'.length + 2));
  });

  it('delivers writes made during replay after the replayed events, in order', async () => {
    await startHub();
    await store.create('a', 'v'); // 1
    await store.create('b', 'v'); // 2
    const got: number[] = [];
    hub.subscribe('', 0, (ev) => {
      got.push(ev.revision);
      // a callback that writes synchronously: the new event must neither be lost nor jump ahead
      if (ev.revision === 1) void store.create('c', 'v'); // 3
    });
    expect(got).toEqual([1, 2, 3]);
    await store.create('d', 'v');
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it('serves a subscribe made from inside another subscriber callback exactly once per event', async () => {
    await startHub();
    const inner: number[] = [];
    const outer: number[] = [];
    hub.subscribe('', 0, (ev) => {
      outer.push(ev.revision);
      if (ev.revision === 2) hub.subscribe('', 1, (e) => inner.push(e.revision));
    });
    for (let i = 0; i < 4; i++) await store.create(`k${i}`, 'v');
    expect(outer).toEqual([1, 2, 3, 4]);
    expect(inner).toEqual([2, 3, 4]);
  });

  it('never gaps or duplicates while subscriptions interleave with concurrent writers', async () => {
    await startHub(50);
    const subs: { from: number; got: number[] }[] = [];
    const writer = async (name: string) => {
      for (let i = 0; i < 60; i++) {
        await store.create(`/w/${name}/${i}`, 'v');
        if (i % 7 === 0) await new Promise((r) => setImmediate(r));
      }
    };
    const subscriber = async () => {
      for (let i = 0; i < 30; i++) {
        const from = Math.max(hub.oldestRevision(), hub.currentRevision() - (i % 10));
        const s = { from, got: [] as number[] };
        hub.subscribe('/w/', from, (ev) => s.got.push(ev.revision));
        subs.push(s);
        await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all([writer('a'), writer('b'), writer('c'), subscriber()]);
    const last = hub.currentRevision();
    expect(last).toBe(180);
    for (const s of subs) {
      expect(s.got).toEqual(Array.from({ length: last - s.from }, (_, i) => s.from + i + 1));
    }
  });

  it('keeps delivering to others when one subscriber throws', async () => {
    await startHub();
    const got: number[] = [];
    hub.subscribe('', 0, () => {
      throw new Error('bad subscriber');
    });
    hub.subscribe('', 0, (ev) => got.push(ev.revision));
    await store.create('a', 'v');
    await store.create('b', 'v');
    expect(got).toEqual([1, 2]);
  });

  it('stop() ends every subscription', async () => {
    await startHub();
    const got: number[] = [];
    hub.subscribe('', 0, (ev) => got.push(ev.revision));
    hub.stop();
    await store.create('a', 'v');
    expect(got).toEqual([]);
  });
});
