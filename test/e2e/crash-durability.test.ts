// Durability: every create the apiserver acknowledged with 201 must survive a SIGKILL mid-stream and
// come back after a restart on the same data dir, with the same uid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { json, request } from '../helpers/https.js';

const NS = 'crash';
const CONCURRENCY = 8;
const KILL_AFTER_ACKS = 300;
const MAX_REQUESTS = 5_000; // bound: the kill comes long before this

describe('crash durability', () => {
  let srv: TestApiserver;

  beforeAll(async () => {
    srv = await startApiserver();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('keeps every acknowledged create across SIGKILL + restart', async () => {
    const ns = await request(srv, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
    expect(ns.status).toBe(201);

    const acked = new Map<string, string>(); // name → uid
    let next = 0;
    let killed: Promise<void> | undefined;
    let failuresBeforeKill = 0;

    const worker = async () => {
      while (!killed && next < MAX_REQUESTS) {
        const name = `cm-${next++}`;
        const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: name, pad: 'x'.repeat(256) } };
        try {
          const r = await request(srv, 'POST', `/api/v1/namespaces/${NS}/configmaps`, { body, timeoutMs: 10_000 });
          if (r.status === 201) acked.set(name, json(r).metadata.uid);
          else if (!killed) failuresBeforeKill++;
        } catch {
          if (!killed) failuresBeforeKill++;
        }
        if (!killed && acked.size >= KILL_AFTER_ACKS) killed = srv.kill('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(killed, 'the server was killed mid-stream').toBeDefined();
    await killed;
    expect(failuresBeforeKill).toBe(0);
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    await srv.restart();
    const list = await request(srv, 'GET', `/api/v1/namespaces/${NS}/configmaps`);
    expect(list.status).toBe(200);
    const stored = new Map<string, string>(
      json<{ items: { metadata: { name: string; uid: string } }[] }>(list).items.map((i) => [i.metadata.name, i.metadata.uid]),
    );
    const lost = [...acked.keys()].filter((n) => !stored.has(n));
    expect(lost, 'acknowledged creates missing after restart').toEqual([]);
    const changed = [...acked].filter(([n, uid]) => stored.get(n) !== uid).map(([n]) => n);
    expect(changed, 'uids changed across restart').toEqual([]);

    // The restarted server still accepts writes, and names taken before the crash stay taken.
    const again = await request(srv, 'POST', `/api/v1/namespaces/${NS}/configmaps`, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: [...acked.keys()][0] } },
    });
    expect(again.status).toBe(409);
  });
});
