// The node lifecycle controller in a real apiserver: a node whose lease stops moving turns Unknown
// and gets the unreachable taint; reporting Ready again (with a fresh lease) removes the taint.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, readTokenFile } from '../../../apiserver/auth/token-file.js';
import { prepareDataDir } from '../../../apiserver/config.js';
import { startApiserver, type RunningApiserver } from '../../../apiserver/main.js';
import { json, request, type Target } from '../../helpers/https.js';

let dir: string;
let srv: RunningApiserver;
let t: Target;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kinglet-lifecycle-it-'));
  const cfg = await prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 0, nodeMonitorGracePeriodMs: 1000 });
  srv = await startApiserver(cfg);
  t = { url: srv.url, caPem: cfg.tls.caCertPem, token: adminToken((await readTokenFile(dir))!) };
});

afterAll(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const unreachable = (n: any) => (n.spec?.taints ?? []).some((x: any) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoSchedule');

describe('node lifecycle controller', () => {
  it('marks a silent node Unknown + tainted, and untaints it once Ready again', async () => {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'quiet' },
      spec: { taints: [{ key: 'user', value: 'x', effect: 'NoSchedule' }] },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] },
    };
    expect((await request(t, 'POST', '/api/v1/nodes', { body: node })).status).toBe(201);
    const dead = await until(async () => {
      const n = json(await request(t, 'GET', '/api/v1/nodes/quiet'));
      return unreachable(n) ? n : undefined;
    });
    const ready = dead.status.conditions.find((c: any) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(dead.status.conditions.map((c: any) => c.type).sort()).toEqual(['DiskPressure', 'MemoryPressure', 'PIDPressure', 'Ready']);
    expect(dead.spec.taints.map((x: any) => `${x.key}:${x.effect}`)).toEqual(['user:NoSchedule', 'node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);

    // Back: a fresh heartbeat with Ready True.
    const back = json(await request(t, 'GET', '/api/v1/nodes/quiet'));
    back.status.conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date(Date.now() + 1000).toISOString().replace(/\.\d+Z$/, 'Z') }];
    expect((await request(t, 'PUT', '/api/v1/nodes/quiet/status', { body: back })).status).toBe(200);
    const alive = await until(async () => {
      const n = json(await request(t, 'GET', '/api/v1/nodes/quiet'));
      return !unreachable(n) ? n : undefined;
    });
    expect(alive.spec.taints.map((x: any) => x.key)).toEqual(['user']);
  });
});
