// The composed agent (agent/main.ts) on the real test dockerd with an in-memory link: init
// containers + emptyDir + httpd served to a client pod, status, events, logs (-c, --tail,
// --previous, -f), adoption by a second agent, and graceful removal.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/types.js';
import { agentConfig } from '../../../agent/config.js';
import { startAgent, type RunningAgent } from '../../../agent/main.js';
import { LABEL_POD_UID } from '../../../agent/runtime/labels.js';
import { DOCKER_SOCK, dockerSkipReason, testDocker } from '../../helpers/docker.js';
import { BUSYBOX_IMAGE } from '../../helpers/registry.js';
import { FakeLink } from './fake-link.js';

const skip = await dockerSkipReason();
const log = pino({ level: process.env.KINGLET_TEST_LOG ?? 'silent' });
const NODE = 'it-node';
const CLUSTER = { serviceCidr: '10.96.0.0/16', clusterCidr: '10.244.0.0/16', podCidr: '10.244.250.0/24', clusterDns: '10.96.0.10', clusterDomain: 'cluster.local' };
const uids: string[] = [];

function pod(name: string, spec: Record<string, unknown>): KubeObject {
  const uid = randomUUID();
  uids.push(uid);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid, resourceVersion: '1', creationTimestamp: new Date().toISOString() },
    spec: { nodeName: NODE, restartPolicy: 'Always', terminationGracePeriodSeconds: 2, dnsPolicy: 'Default', ...spec },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
  } as KubeObject;
}
const ctr = (name: string, command: string[], extra: Record<string, unknown> = {}) => ({ name, image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command, ...extra });

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function podContainers(uid: string) {
  return testDocker().listContainers({ all: true, filters: { label: [`${LABEL_POD_UID}=${uid}`] } });
}

describe.skipIf(skip)('agent composition (real dockerd, in-memory link)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kinglet-agent-it-'));
  const cfg = { ...agentConfig({ server: 'https://127.0.0.1:1', nodeName: NODE, dataDir, dockerHost: `unix://${DOCKER_SOCK}`, nodeIp: '127.0.0.1' }), relistMs: 1000 };
  let link: FakeLink;
  let agent: RunningAgent;
  const web = pod('web', {
    volumes: [{ name: 'www', emptyDir: {} }],
    initContainers: [
      ctr('init-a', ['sh', '-c', 'echo -n "hello " > /www/index.html'], { volumeMounts: [{ name: 'www', mountPath: '/www' }] }),
      ctr('init-b', ['sh', '-c', 'echo from-init >> /www/index.html'], { volumeMounts: [{ name: 'www', mountPath: '/www' }] }),
    ],
    containers: [ctr('httpd', ['httpd', '-f', '-p', '8080', '-h', '/www'], { volumeMounts: [{ name: 'www', mountPath: '/www' }] })],
  });

  beforeAll(async () => {
    link = new FakeLink(CLUSTER);
    agent = await startAgent(cfg, log, { connect: async () => link, nodeReporter: null });
    link.snapshot([{ kind: 'Pod', object: web }]);
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    const docker = testDocker();
    for (const uid of uids) for (const c of await podContainers(uid)) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs init containers in order, then the app; status Running with podIP and conditions', async () => {
    const st = await until('web Running', () => {
      const s = link.lastStatus(web.metadata.uid!);
      return s?.phase === 'Running' && s.containerStatuses?.[0]?.ready && s;
    });
    expect(st.podIP).toMatch(/^10\.244\.250\.\d+$/);
    expect(st.hostIP).toBe('127.0.0.1');
    expect(st.initContainerStatuses.map((s: any) => s.state.terminated?.reason)).toEqual(['Completed', 'Completed']);
    const conds = Object.fromEntries(st.conditions.map((c: any) => [c.type, c.status]));
    expect(conds).toMatchObject({ Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' });
    expect(st.containerStatuses[0]).toMatchObject({ name: 'httpd', restartCount: 0, started: true, state: { running: {} } });
    expect(st.containerStatuses[0].containerID).toMatch(/^docker:\/\//);
    const reasons = link.events.filter((e) => e.involvedObject.uid === web.metadata.uid).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Created', 'Started']));
  }, 60_000);

  it('a client pod on the node bridge fetches what the init containers wrote; logs serve it', async () => {
    const ip = link.lastStatus(web.metadata.uid!).podIP;
    const client = pod('client', {
      restartPolicy: 'Never',
      containers: [ctr('nc', ['sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc ${ip} 8080; echo; echo line2; echo line3`])],
    });
    link.upsert('Pod', client);
    const st = await until('client Succeeded', () => link.lastStatus(client.metadata.uid!)?.phase === 'Succeeded' && link.lastStatus(client.metadata.uid!));
    expect(st.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const all = await link.logs({ namespace: 'default', pod: 'client' });
    expect(all.text).toContain('hello from-init');
    expect(all.text).toContain('200 OK');
    const tail = await link.logs({ namespace: 'default', pod: 'client', container: 'nc', tailLines: 2 });
    expect(tail.text).toBe('line2\nline3\n');
    const ts = await link.logs({ namespace: 'default', pod: 'client', tailLines: 1, timestamps: true });
    expect(ts.text).toMatch(/^\d{4}-\d\d-\d\dT\S+Z line3\n$/);
    const missing = await link.logs({ namespace: 'default', pod: 'web', container: 'nope' });
    expect(missing.error).toMatchObject({ code: 400 });
  }, 60_000);

  it('--previous shows the last instance of a restarted container; -f streams until aborted', async () => {
    const crash = pod('crash', { containers: [ctr('app', ['sh', '-c', 'echo run-$(cut -d" " -f1 /proc/uptime); sleep 1; exit 3'])] });
    link.upsert('Pod', crash);
    const st = await until('restartCount 1', () => (link.lastStatus(crash.metadata.uid!)?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && link.lastStatus(crash.metadata.uid!), 45_000);
    expect(st.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    const prev = await link.logs({ namespace: 'default', pod: 'crash', previous: true });
    expect(prev.error).toBeUndefined();
    expect(prev.text).toMatch(/^run-[\d.]+\n$/);
    const cur = await link.logs({ namespace: 'default', pod: 'crash' });
    expect(cur.text).not.toBe(prev.text);
    // follow on the running httpd: no output, must end when the client goes away
    const ac = new AbortController();
    const followed = link.logs({ namespace: 'default', pod: 'web', follow: true }, ac.signal);
    setTimeout(() => ac.abort(), 500);
    await expect(followed).resolves.toMatchObject({ text: '' });
    link.remove('Pod', crash);
  }, 60_000);

  it('a second agent adopts running containers: same ids, restartCount unchanged', async () => {
    const before = (await podContainers(web.metadata.uid!)).filter((c) => c.State === 'running').map((c) => c.Id).sort();
    expect(before).toHaveLength(2); // sandbox + httpd
    await agent.stop();
    const link2 = new FakeLink(CLUSTER);
    link2.gateOpen = true;
    agent = await startAgent(cfg, log, { connect: async () => link2, nodeReporter: null });
    link2.snapshot(link.store.pods().filter((p) => p.metadata.uid === web.metadata.uid).map((object) => ({ kind: 'Pod' as const, object })));
    const st = await until('adopted status', () => link2.lastStatus(web.metadata.uid!)?.phase === 'Running' && link2.lastStatus(web.metadata.uid!));
    expect(st.containerStatuses[0].restartCount).toBe(0);
    await new Promise((r) => setTimeout(r, 2500)); // a relist or two
    const after = (await podContainers(web.metadata.uid!)).filter((c) => c.State === 'running').map((c) => c.Id).sort();
    expect(after).toEqual(before);
    expect(link2.events.filter((e) => e.involvedObject.uid === web.metadata.uid && (e.reason === 'Created' || e.reason === 'Killing'))).toEqual([]);
    link = link2;
  }, 60_000);

  it('a pod removed from the desired state is stopped (no status: it is gone from the API)', async () => {
    const t0 = Date.now();
    link.remove('Pod', web);
    await until('web containers stopped', async () => (await podContainers(web.metadata.uid!)).every((c) => c.State !== 'running'), 20_000);
    expect(Date.now() - t0).toBeLessThan(10_000); // SIGKILL after the 2 s grace
  }, 30_000);

  it('GC (gate open) removes every container of pods that are gone and dead', async () => {
    await agent.workers.whenIdle();
    const report = await agent.gc.runOnce();
    expect(await podContainers(web.metadata.uid!)).toEqual([]);
    expect(report.containers.length).toBeGreaterThanOrEqual(3); // sandbox + 2 inits + httpd of web at least
  }, 30_000);
});
