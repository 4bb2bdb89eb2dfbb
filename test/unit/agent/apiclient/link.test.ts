import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { connectControlPlane, type GrpcControlPlaneLink } from '../../../../agent/apiclient/link.ts';
import { saveCredentials } from '../../../../agent/apiclient/credentials-store.ts';
import type { DesiredChange } from '../../../../agent/apiclient/types.ts';
import { issueCertificate } from '../../../../lib/tls.ts';
import { FakeControlPlane, change, until, type ConnectSession } from './fake-control-plane.ts';

const log = pino({ level: 'silent' });
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const pod = (name: string, uid: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid } });
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: {} });

async function setup(): Promise<{ cp: FakeControlPlane; link: GrpcControlPlaneLink; changes: Array<{ changes: DesiredChange[]; snapshot: boolean }> }> {
  const cp = new FakeControlPlane(true);
  await cp.start();
  cleanups.push(() => cp.kill());
  const dir = mkdtempSync(join(tmpdir(), 'kinglet-link-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const node = issueCertificate(cp.ca, { commonName: 'system:node:n1', organization: ['system:nodes'], usage: 'client' });
  saveCredentials(dir, { keyPem: node.keyPem, certPem: node.certPem, caPem: cp.ca.certPem, cluster: cp.cluster, server: 'https://127.0.0.1:1', agentEndpoint: cp.endpoint });
  const link = await connectControlPlane({ server: 'https://127.0.0.1:1', nodeName: 'n1', dataDir: dir, log, backoff: { initialMs: 30, maxMs: 200, jitter: 0.5 } });
  cleanups.push(() => link.close());
  const changes: Array<{ changes: DesiredChange[]; snapshot: boolean }> = [];
  link.desired.onChange((c, snapshot) => changes.push({ changes: c, snapshot }));
  return { cp, link, changes };
}

const summary = (cs: DesiredChange[]) => cs.map((c) => `${c.type} ${c.kind} ${c.object.metadata.name}`);

describe('control plane link', () => {
  it('syncs, applies deltas, survives a server restart and resyncs from a fresh snapshot', async () => {
    const { cp, link, changes } = await setup();
    cp.onHello = (s) => s.call.write({ snapshot: { objects: [change('Pod', pod('a', 'ua')), change('Pod', pod('b', 'ub')), change('ConfigMap', cm('c'))], revision: 5 } });
    await until(() => link.desired.synced());
    expect(link.connected()).toBe(true);
    const first = cp.sessions[0]!;
    expect(first.peerCN).toBe('system:node:n1');
    expect(first.received[0]!.hello).toMatchObject({ nodeName: 'n1', lastRevision: 0 });
    expect(summary(changes[0]!.changes)).toEqual(['upsert Pod a', 'upsert Pod b', 'upsert ConfigMap c']);
    expect(changes[0]!.snapshot).toBe(true);

    first.call.write({ delta: { changes: [change('Pod', pod('b', 'ub'), 'DELETE')], revision: 6 } });
    await until(() => changes.length === 2);
    expect(summary(changes[1]!.changes)).toEqual(['delete Pod b']);
    expect(changes[1]!.snapshot).toBe(false);

    link.sendPodStatus(pod('a', 'ua'), { phase: 'Running' }, false);
    await until(() => first.received.some((m) => m.podStatus?.uid === 'ua'));

    // The apiserver goes away: nothing is dropped, the link keeps trying.
    cp.kill();
    await until(() => !link.connected());
    expect(link.desired.synced()).toBe(true);
    expect(link.desired.pods().map((p) => p.metadata.name)).toEqual(['a']);
    link.sendPodStatus(pod('a', 'ua'), { phase: 'Running', podIP: '10.244.3.7' }, false);
    link.sendEvent({ metadata: { name: 'ev1', namespace: 'default' }, reason: 'Started' });
    link.renewLease();
    await new Promise((r) => setTimeout(r, 150));
    expect(changes).toHaveLength(2);

    // Back on the same port with a state in which pod a is gone.
    cp.onHello = (s) => s.call.write({ snapshot: { objects: [change('ConfigMap', cm('c'))], revision: 10 } });
    await cp.start();
    await until(() => changes.length === 3, 10_000);
    const second = cp.sessions[1]!;
    expect(second.received[0]!.hello).toMatchObject({ nodeName: 'n1', lastRevision: 6 });
    expect(changes[2]!.snapshot).toBe(true);
    expect(summary(changes[2]!.changes)).toEqual(['upsert ConfigMap c', 'delete Pod a']);
    expect(link.desired.revision()).toBe(10);
    await until(() => second.received.some((m) => m.msg === 'event') && second.received.some((m) => m.msg === 'lease'));
    const status = second.received.find((m) => m.podStatus?.uid === 'ua')!.podStatus!;
    expect(JSON.parse(String(status.statusJson)).podIP).toBe('10.244.3.7');
    expect(JSON.parse(String(second.received.find((m) => m.msg === 'event')!.event!.eventJson)).reason).toBe('Started');
  }, 20_000);

  it('serves log requests and aborts them on cancel or stream loss', async () => {
    const { cp, link } = await setup();
    let session!: ConnectSession;
    cp.onHello = (s) => {
      session = s;
      s.call.write({ snapshot: { objects: [], revision: 1 } });
    };
    const signals = new Map<string, AbortSignal>();
    link.onLogRequest((req, out, signal) => {
      signals.set(req.sessionId, signal);
      if (req.container === 'missing') return out.end({ kind: 'Status', code: 400, message: 'container "missing" not found' });
      out.write(Buffer.from(`logs of ${req.namespace}/${req.pod}/${req.container} tail=${req.tailLines}\n`));
      if (!req.follow) out.end();
    });
    await until(() => link.connected() && session !== undefined);
    const data = () => session.received.filter((m) => m.msg === 'sessionData').map((m) => m.sessionData!);

    session.call.write({ logRequest: { sessionId: 's1', namespace: 'default', pod: 'p', container: 'c', tailLines: 5 } });
    await until(() => data().some((d) => d.sessionId === 's1' && d.eof));
    expect(data().filter((d) => d.sessionId === 's1').map((d) => String(d.data))).toEqual(['logs of default/p/c tail=5\n', '']);

    session.call.write({ logRequest: { sessionId: 's2', namespace: 'default', pod: 'p', container: 'missing', tailLines: -1 } });
    await until(() => data().some((d) => d.sessionId === 's2'));
    expect(JSON.parse(String(data().find((d) => d.sessionId === 's2')!.errorStatusJson)).message).toContain('not found');

    session.call.write({ logRequest: { sessionId: 's3', namespace: 'default', pod: 'p', container: 'c', follow: true, tailLines: -1 } });
    session.call.write({ logRequest: { sessionId: 's4', namespace: 'default', pod: 'p', container: 'c', follow: true, tailLines: -1 } });
    await until(() => signals.has('s3') && signals.has('s4'));
    session.call.write({ cancelSession: { sessionId: 's3' } });
    await until(() => signals.get('s3')!.aborted);
    expect(signals.get('s4')!.aborted).toBe(false);
    cp.kill();
    await until(() => signals.get('s4')!.aborted);
  }, 20_000);

  it('close() stops reconnecting', async () => {
    const { cp, link } = await setup();
    cp.onHello = (s) => s.call.write({ snapshot: { objects: [], revision: 1 } });
    await until(() => link.connected());
    await link.close();
    expect(link.connected()).toBe(false);
    const before = cp.sessions.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(cp.sessions.length).toBe(before);
  });
});
