// The Endpoints and EndpointSlice controllers in a real apiserver (real registry validation and
// defaults): a pod's readiness, written through the status subresource, moves it between addresses
// and notReadyAddresses within one event; deleting the Service removes both objects.
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
  dir = mkdtempSync(join(tmpdir(), 'kinglet-endpoints-it-'));
  const cfg = await prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 0 });
  srv = await startApiserver(cfg);
  t = { url: srv.url, caPem: cfg.tls.caCertPem, token: adminToken((await readTokenFile(dir))!) };
});

afterAll(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function setReady(name: string, ip: string, ready: boolean): Promise<void> {
  const pod = json(await request(t, 'GET', `/api/v1/namespaces/default/pods/${name}`));
  pod.status = { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  const res = await request(t, 'PUT', `/api/v1/namespaces/default/pods/${name}/status`, { body: pod });
  expect(res.status).toBe(200);
}

const ips = (list: Array<{ ip: string }> | undefined) => (list ?? []).map((a) => a.ip).sort();

describe('endpoint controllers in the apiserver', () => {
  it('follow readiness, resolve named ports, and go with the Service', async () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
    expect((await request(t, 'POST', '/api/v1/namespaces/default/services', { body: svc })).status).toBe(201);
    for (const name of ['web-1', 'web-2']) {
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } };
      expect((await request(t, 'POST', '/api/v1/namespaces/default/pods', { body: pod })).status).toBe(201);
    }
    await setReady('web-1', '10.244.1.5', true);
    await setReady('web-2', '10.244.2.6', false);
    const ep = await until(async () => {
      const e = json(await request(t, 'GET', '/api/v1/namespaces/default/endpoints/web'));
      return e.subsets?.[0]?.notReadyAddresses ? e : undefined;
    });
    expect(ips(ep.subsets[0].addresses)).toEqual(['10.244.1.5']);
    expect(ips(ep.subsets[0].notReadyAddresses)).toEqual(['10.244.2.6']);
    expect(ep.subsets[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);

    await setReady('web-2', '10.244.2.6', true);
    await until(async () => {
      const e = json(await request(t, 'GET', '/api/v1/namespaces/default/endpoints/web'));
      return ips(e.subsets?.[0]?.addresses).length === 2 ? e : undefined;
    });
    const slices = await until(async () => {
      const l = json(await request(t, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb'));
      return l.items?.[0]?.endpoints?.filter((e: any) => e.conditions.ready).length === 2 ? l.items : undefined;
    });
    expect(slices).toHaveLength(1);
    expect(slices[0]).toMatchObject({ addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] });

    expect((await request(t, 'DELETE', '/api/v1/namespaces/default/services/web')).status).toBe(200);
    await until(async () => ((await request(t, 'GET', '/api/v1/namespaces/default/endpoints/web')).status === 404 ? true : undefined));
    await until(async () => (json(await request(t, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices')).items.length === 0 ? true : undefined));
  });
});
