// Optimistic concurrency and watch history over raw HTTPS: stale PUTs lose with 409, resourceVersions
// grow, a watch from an old resourceVersion replays, and one older than the history gets 410 Expired.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { json, openWatch, request, type RawResponse } from '../helpers/https.js';

const NS = 'conc';
const HISTORY = 50; // small watch history (KINGLET_WATCH_HISTORY) so 410 is cheap to reach
const cmPath = (name = '') => `/api/v1/namespaces/${NS}/configmaps${name ? `/${name}` : ''}`;

describe('concurrency and watch history', () => {
  let srv: TestApiserver;
  const create = async (name: string, data: Record<string, string> = {}) => {
    const r = await request(srv, 'POST', cmPath(), { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data } });
    expect(r.status, r.body).toBe(201);
    return json(r);
  };

  beforeAll(async () => {
    srv = await startApiserver({ env: { KINGLET_WATCH_HISTORY: String(HISTORY) } });
    const ns = await request(srv, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
    expect(ns.status).toBe(201);
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('lets exactly one of two PUTs with the same resourceVersion win', async () => {
    const obj = await create('race', { v: '0' });
    const put = (v: string): Promise<RawResponse> =>
      request(srv, 'PUT', cmPath('race'), { body: { ...obj, data: { v } } });
    const results = await Promise.all([put('a'), put('b')]);
    const codes = results.map((r) => r.status).sort();
    expect(codes).toEqual([200, 409]);
    const loser = json(results.find((r) => r.status === 409)!);
    expect(loser.kind).toBe('Status');
    expect(loser.reason).toBe('Conflict');
    expect(loser.message).toContain('the object has been modified');
    const winner = json(results.find((r) => r.status === 200)!);
    const now = json(await request(srv, 'GET', cmPath('race')));
    expect(now.data).toEqual(winner.data);
    expect(now.metadata.resourceVersion).toBe(winner.metadata.resourceVersion);
  });

  it('rejects a PUT with an outdated resourceVersion after a successful one', async () => {
    const obj = await create('stale', { v: '0' });
    const first = await request(srv, 'PUT', cmPath('stale'), { body: { ...obj, data: { v: '1' } } });
    expect(first.status).toBe(200);
    const second = await request(srv, 'PUT', cmPath('stale'), { body: { ...obj, data: { v: '2' } } });
    expect(second.status).toBe(409);
    expect(json(second).reason).toBe('Conflict');
  });

  it('increases resourceVersion on every write, across objects', async () => {
    const rvs: number[] = [];
    const a = await create('rv-a');
    rvs.push(Number(a.metadata.resourceVersion));
    const b = await create('rv-b');
    rvs.push(Number(b.metadata.resourceVersion));
    const upd = await request(srv, 'PUT', cmPath('rv-a'), { body: { ...a, data: { x: '1' } } });
    rvs.push(Number(json(upd).metadata.resourceVersion));
    const list = json(await request(srv, 'GET', cmPath()));
    rvs.push(Number(list.metadata.resourceVersion));
    expect(rvs.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
    expect(rvs[1]).toBeGreaterThan(rvs[0]!);
    expect(rvs[2]).toBeGreaterThan(rvs[1]!);
    expect(rvs[3]).toBeGreaterThanOrEqual(rvs[2]!);
  });

  it('replays events after an old resourceVersion, in order', async () => {
    const obj = await create('replay', { n: '0' });
    const from = obj.metadata.resourceVersion as string;
    let cur = obj;
    for (let i = 1; i <= 3; i++) {
      const r = await request(srv, 'PUT', cmPath('replay'), { body: { ...cur, data: { n: String(i) } } });
      expect(r.status).toBe(200);
      cur = json(r);
    }
    const w = await openWatch(srv, `${cmPath()}?watch=true&resourceVersion=${from}&fieldSelector=metadata.name%3Dreplay`);
    try {
      expect(w.status).toBe(200);
      await w.waitFor((e) => e.object?.data?.n === '3');
      const mods = w.events.filter((e) => e.type === 'MODIFIED').map((e) => e.object.data.n);
      expect(mods).toEqual(['1', '2', '3']);
      expect(w.events.some((e) => e.type === 'ADDED')).toBe(false);
      // and it goes on live
      await request(srv, 'DELETE', cmPath('replay'));
      await w.waitFor((e) => e.type === 'DELETED');
    } finally {
      w.close();
    }
  });

  it('answers a resourceVersion older than the history with 410 Expired', async () => {
    for (let i = 0; i < HISTORY + 10; i++) await create(`fill-${i}`);
    const w = await openWatch(srv, `${cmPath()}?watch=true&resourceVersion=1`);
    try {
      if (w.status === 410) return; // answered up front: also what clients handle
      expect(w.status).toBe(200);
      const ev = await w.waitFor((e) => e.type === 'ERROR');
      expect(ev.object.kind).toBe('Status');
      expect(ev.object.code).toBe(410);
      expect(ev.object.reason).toBe('Expired');
    } finally {
      w.close();
    }
  });
});
