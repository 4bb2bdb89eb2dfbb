// The apiserver's agent side end to end, in process: bootstrap endpoint, Join over real gRPC/TLS,
// Connect with the issued certificate, the desired-state stream, status intake, node REST
// authorization with the node's client certificate, and logs through a fake agent.
import * as grpc from '@grpc/grpc-js';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBootstrapToken, parseToken } from '../../../apiserver/agents/bootstrap-tokens.js';
import { adminToken, readTokenFile } from '../../../apiserver/auth/token-file.js';
import { prepareDataDir, type ApiserverConfig } from '../../../apiserver/config.js';
import { startApiserver, type RunningApiserver } from '../../../apiserver/main.js';
import { certFingerprintSha256, certSubject } from '../../../lib/tls.js';
import { agentV1, type AgentMessage, type AgentServiceClient, type ControlMessage__Output, type JoinResponse__Output } from '../../../proto/load.js';
import { json, request, type Target } from '../../helpers/https.js';

let dir: string;
let cfg: ApiserverConfig;
let srv: RunningApiserver;
let t: Target;
let endpoint: string;
let caPem: string;

function rawGet(url: string, opts: https.RequestOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { rejectUnauthorized: false, ...opts }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

function newCsr(cn: string): { keyPem: string; csrPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  csr.setSubject([{ name: 'commonName', value: cn }]);
  csr.sign(key, forge.md.sha256.create());
  return { keyPem: privateKey, csrPem: forge.pki.certificationRequestToPem(csr) };
}

function client(creds: grpc.ChannelCredentials): AgentServiceClient {
  const Ctor = agentV1().AgentService;
  return new Ctor(endpoint, creds);
}

function joinNode(token: string, nodeName: string, csrPem: string): Promise<JoinResponse__Output> {
  const c = client(grpc.credentials.createSsl(Buffer.from(caPem)));
  return new Promise((resolve, reject) =>
    c.Join({ token, nodeName, csrPem }, (err, res) => {
      c.close();
      if (err) reject(err);
      else resolve(res!);
    }),
  );
}

/** A scripted agent: a stream plus a queue of received control messages. */
class FakeAgent {
  readonly received: ControlMessage__Output[] = [];
  private waiters: Array<() => void> = [];
  readonly call: grpc.ClientDuplexStream<AgentMessage, ControlMessage__Output>;
  error: grpc.ServiceError | undefined;
  private readonly c: AgentServiceClient;
  constructor(keyPem: string, certPem: string) {
    this.c = client(grpc.credentials.createSsl(Buffer.from(caPem), Buffer.from(keyPem), Buffer.from(certPem)));
    this.call = this.c.Connect();
    this.call.on('data', (m: ControlMessage__Output) => {
      this.received.push(m);
      for (const w of this.waiters.splice(0)) w();
    });
    this.call.on('error', (e: grpc.ServiceError) => {
      this.error = e;
      for (const w of this.waiters.splice(0)) w();
    });
  }
  send(m: AgentMessage): void {
    this.call.write(m);
  }
  async next(pred: (m: ControlMessage__Output) => boolean, timeoutMs = 10_000): Promise<ControlMessage__Output> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.received.findIndex(pred);
      if (i >= 0) return this.received.splice(i, 1)[0]!;
      if (this.error) throw this.error;
      if (Date.now() > deadline) throw new Error(`no matching control message within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }
  close(): void {
    this.call.cancel();
    this.c.close();
  }
}

const objects = (changes: Array<{ kind: string; objectJson: Buffer; type: string }>) =>
  changes.map((c) => ({ type: c.type, kind: c.kind, obj: JSON.parse(c.objectJson.toString('utf8')) }));

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kinglet-agents-it-'));
  cfg = await prepareDataDir({ dataDir: dir, listenHost: '127.0.0.1', listenPort: 0 });
  srv = await startApiserver(cfg);
  t = { url: srv.url, caPem: cfg.tls.caCertPem, token: adminToken((await readTokenFile(dir))!) };
});

afterAll(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('agent service', () => {
  let token: string;
  let n1: { keyPem: string; certPem: string };

  it('serves the CA and the agent endpoint anonymously; the CA matches the join token pin', async () => {
    const r = await rawGet(`${srv.url}/kinglet/v1/bootstrap`);
    expect(r.status).toBe(200);
    const b = JSON.parse(r.body) as { caPem: string; agentEndpoint: string };
    caPem = b.caPem;
    endpoint = b.agentEndpoint;
    expect(endpoint).toBe(`127.0.0.1:${srv.agentPort}`);
    token = await createBootstrapToken(dir, cfg.tls.caCertPem, 3_600_000);
    expect(certFingerprintSha256(caPem)).toBe(parseToken(token)!.caSha256);
  });

  it('refuses unknown and expired tokens with clear messages', async () => {
    const { csrPem } = newCsr('x');
    const unknown = `K10${parseToken(token)!.caSha256}::abcdef.0123456789abcdef`;
    await expect(joinNode(unknown, 'n1', csrPem)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: 'unknown bootstrap token' });
    const expired = await createBootstrapToken(dir, cfg.tls.caCertPem, 1000, new Date(Date.now() - 60_000));
    await expect(joinNode(expired, 'n1', csrPem)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: 'bootstrap token expired' });
  });

  it('joins with a good token: node certificate, cluster settings, a stable podCIDR on the Node', async () => {
    const { keyPem, csrPem } = newCsr('system:masters-wannabe');
    const res = await joinNode(token, 'n1', csrPem);
    expect(certSubject(res.certificatePem)).toEqual({ commonName: 'system:node:n1', organization: ['system:nodes'] });
    expect(res.caPem).toBe(caPem);
    expect(res.cluster).toEqual({ serviceCidr: '10.96.0.0/16', clusterCidr: '10.244.0.0/16', podCidr: '10.244.0.0/24', clusterDns: '10.96.0.10', clusterDomain: 'cluster.local' });
    n1 = { keyPem, certPem: res.certificatePem };
    const again = await joinNode(token, 'n1', newCsr('n1').csrPem);
    expect(again.cluster!.podCidr).toBe('10.244.0.0/24');
    const other = await joinNode(token, 'n2', newCsr('n2').csrPem);
    expect(other.cluster!.podCidr).toBe('10.244.1.0/24');
    const node = json(await request(t, 'GET', '/api/v1/nodes/n1'));
    expect(node.spec.podCIDR).toBe('10.244.0.0/24');
  });

  it("streams the node's pods and their ConfigMaps, never another node's; takes status, lease and events; proxies logs", async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg1' }, data: { a: '1' } };
    expect((await request(t, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm })).status).toBe(201);
    const sec = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other-secret' }, stringData: { p: 'x' } };
    expect((await request(t, 'POST', '/api/v1/namespaces/default/secrets', { body: sec })).status).toBe(201);
    const mine = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'mine' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox', envFrom: [{ configMapRef: { name: 'cfg1' } }] }] },
    };
    const theirs = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'theirs' },
      spec: { nodeName: 'n2', containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 's', secret: { secretName: 'other-secret' } }] },
    };
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
    expect((await request(t, 'POST', '/api/v1/namespaces/default/services', { body: svc })).status).toBe(201);
    for (const p of [mine, theirs]) expect((await request(t, 'POST', '/api/v1/namespaces/default/pods', { body: p })).status).toBe(201);

    // A Hello naming another node is refused.
    const liar = new FakeAgent(n1.keyPem, n1.certPem);
    liar.send({ hello: { nodeName: 'n2' } });
    await expect(liar.next(() => true)).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
    liar.close();

    const agent = new FakeAgent(n1.keyPem, n1.certPem);
    try {
      agent.send({ hello: { nodeName: 'n1', lastRevision: 0, agentVersion: 'test' } });
      // 1. The snapshot.
      const snap = await agent.next((m) => m.msg === 'snapshot');
      const got = objects(snap.snapshot!.objects);
      const names = got.map((o) => `${o.kind}/${o.obj.metadata.name}`);
      expect(names).toContain('Pod/mine');
      expect(names).toContain('ConfigMap/cfg1');
      expect(names).toContain('Service/web');
      expect(names).not.toContain('Pod/theirs');
      expect(names).not.toContain('Secret/other-secret');
      const uid = got.find((o) => o.kind === 'Pod')!.obj.metadata.uid as string;

      // 2. A referenced ConfigMap changing arrives as a delta.
      cm.data.a = '2';
      expect((await request(t, 'PUT', '/api/v1/namespaces/default/configmaps/cfg1', { body: cm })).status).toBe(200);
      const delta = await agent.next((m) => m.msg === 'delta' && objects(m.delta!.changes).some((c) => c.kind === 'ConfigMap'));
      expect(objects(delta.delta!.changes).find((c) => c.kind === 'ConfigMap')!.obj.data).toEqual({ a: '2' });

      // 3. Status, lease, node status and an event.
      const status = { phase: 'Running', podIP: '10.244.0.5', conditions: [{ type: 'Ready', status: 'True' }] };
      agent.send({ podStatus: { namespace: 'default', name: 'mine', uid, statusJson: Buffer.from(JSON.stringify(status)), version: 2 } });
      // A stale version is ignored.
      agent.send({ podStatus: { namespace: 'default', name: 'mine', uid, statusJson: Buffer.from(JSON.stringify({ phase: 'Pending' })), version: 1 } });
      agent.send({ lease: { renewTimeUnixMs: Date.now() } });
      const reported = {
        metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
        status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }], capacity: { cpu: '2', pods: '110' } },
      };
      agent.send({ nodeStatus: { nodeJson: Buffer.from(JSON.stringify(reported)) } });
      const ev = { metadata: {}, involvedObject: { kind: 'Pod', namespace: 'default', name: 'mine', uid }, reason: 'Started', message: 'Started container c', type: 'Normal' };
      agent.send({ event: { eventJson: Buffer.from(JSON.stringify(ev)) } });
      const foreign = { metadata: {}, involvedObject: { kind: 'Pod', namespace: 'default', name: 'theirs' }, reason: 'Forged' };
      agent.send({ event: { eventJson: Buffer.from(JSON.stringify(foreign)) } });

      const pod = await until(async () => {
        const p = json(await request(t, 'GET', '/api/v1/namespaces/default/pods/mine'));
        return p.status?.phase === 'Running' ? p : undefined;
      });
      expect(pod.status.podIP).toBe('10.244.0.5');
      const lease = await until(async () => {
        const r = await request(t, 'GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1');
        return r.status === 200 ? json(r) : undefined;
      });
      expect(lease.spec.holderIdentity).toBe('n1');
      expect(lease.spec.leaseDurationSeconds).toBe(40);
      expect(lease.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      const node = await until(async () => {
        const n = json(await request(t, 'GET', '/api/v1/nodes/n1'));
        return n.status?.capacity ? n : undefined;
      });
      expect(node.metadata.labels['kubernetes.io/hostname']).toBe('n1');
      expect(node.spec.podCIDR).toBe('10.244.0.0/24');
      const events = await until(async () => {
        const l = json(await request(t, 'GET', '/api/v1/namespaces/default/events'));
        return l.items.length > 0 ? l.items : undefined;
      });
      expect(events.map((e: any) => e.reason)).toEqual(['Started']);
      expect(events[0].source.host).toBe('n1');
      // The stale status did not win.
      expect(json(await request(t, 'GET', '/api/v1/namespaces/default/pods/mine')).status.phase).toBe('Running');

      // 4. Node REST access with the node's client certificate.
      const asNode = { ca: caPem, key: n1.keyPem, cert: n1.certPem, rejectUnauthorized: true };
      expect((await rawGet(`${srv.url}/api/v1/namespaces/default/pods/mine`, asNode)).status).toBe(200);
      const denied = await rawGet(`${srv.url}/api/v1/namespaces/default/pods/theirs`, asNode);
      expect(denied.status).toBe(403);
      expect(JSON.parse(denied.body).message).toContain('User "system:node:n1" cannot get resource "pods"');
      expect((await rawGet(`${srv.url}/api/v1/namespaces/default/configmaps/cfg1`, asNode)).status).toBe(200);
      expect((await rawGet(`${srv.url}/api/v1/namespaces/default/secrets/other-secret`, asNode)).status).toBe(403);
      expect((await rawGet(`${srv.url}/api/v1/pods?fieldSelector=spec.nodeName%3Dn1`, asNode)).status).toBe(200);
      expect((await rawGet(`${srv.url}/api/v1/pods`, asNode)).status).toBe(403);

      // 5. Logs through the stream.
      const logs = request(t, 'GET', '/api/v1/namespaces/default/pods/mine/log?container=c&tailLines=10');
      const lr = await agent.next((m) => m.msg === 'logRequest');
      expect(lr.logRequest).toMatchObject({ namespace: 'default', pod: 'mine', container: 'c', follow: false, tailLines: 10 });
      const sid = lr.logRequest!.sessionId;
      agent.send({ sessionData: { sessionId: sid, stream: 1, data: Buffer.from('line 1\n') } });
      agent.send({ sessionData: { sessionId: sid, stream: 1, data: Buffer.from('line 2\n'), eof: true } });
      const lres = await logs;
      expect(lres.status).toBe(200);
      expect(lres.headers['content-type']).toContain('text/plain');
      expect(lres.body).toBe('line 1\nline 2\n');

      // An agent-side failure before any output becomes the Status it sent.
      const failing = request(t, 'GET', '/api/v1/namespaces/default/pods/mine/log?previous=true');
      const lr2 = await agent.next((m) => m.msg === 'logRequest');
      const st = { kind: 'Status', status: 'Failure', code: 400, reason: 'BadRequest', message: 'previous terminated container "c" in pod "mine" not found' };
      agent.send({ sessionData: { sessionId: lr2.logRequest!.sessionId, eof: true, errorStatusJson: Buffer.from(JSON.stringify(st)) } });
      const fres = await failing;
      expect(fres.status).toBe(400);
      expect(json(fres).message).toBe(st.message);

      const bad = await request(t, 'GET', '/api/v1/namespaces/default/pods/mine/log?container=nope');
      expect(bad.status).toBe(400);
      expect(json(bad).message).toBe('container nope is not valid for pod mine');
      const notConnected = await request(t, 'GET', '/api/v1/namespaces/default/pods/theirs/log');
      expect(notConnected.status).toBe(503);

      // 6. The pod leaving the node: a DELETE for it and for the ConfigMap only it referenced.
      expect((await request(t, 'DELETE', '/api/v1/namespaces/default/pods/mine?gracePeriodSeconds=0')).status).toBe(200);
      const gone = await agent.next((m) => m.msg === 'delta' && objects(m.delta!.changes).some((c) => c.kind === 'Pod' && c.type === 'DELETE'));
      const kinds = objects(gone.delta!.changes).filter((c) => c.type === 'DELETE').map((c) => c.kind).sort();
      expect(kinds).toEqual(['ConfigMap', 'Pod']);
    } finally {
      agent.close();
    }
  });
});
