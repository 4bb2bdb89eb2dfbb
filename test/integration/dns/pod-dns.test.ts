// Pods on the real test dockerd get the resolv.conf their dnsPolicy says (not Docker's embedded
// 127.0.0.11), and a pod's own resolver gets answers from the agent's DNS. The agent's DNS listens
// on its pod-network bridge gateway here (an address on a bridge this test's agent creates), with
// no upstreams: nothing leaves the machine. Run under the Docker lock.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/types.js';
import { agentConfig } from '../../../agent/config.js';
import { podNetworkSpec } from '../../../agent/config.js';
import { parseResolvConf, renderResolvConf } from '../../../agent/dns/resolv-conf.js';
import { startAgent, type RunningAgent } from '../../../agent/main.js';
import { LABEL_POD_UID } from '../../../agent/runtime/labels.js';
import { DOCKER_SOCK, dockerSkipReason, testDocker } from '../../helpers/docker.js';
import { BUSYBOX_IMAGE } from '../../helpers/registry.js';
import { FakeLink } from '../agent/fake-link.js';

const skip = await dockerSkipReason();
const log = pino({ level: process.env.KINGLET_TEST_LOG ?? 'silent' });
const NODE = 'dns-node';
const CLUSTER = { serviceCidr: '10.96.0.0/16', clusterCidr: '10.244.0.0/16', podCidr: '10.244.251.0/24', clusterDns: '10.96.0.10', clusterDomain: 'cluster.local' };
const GATEWAY = '10.244.251.1';
const HOST_RESOLV = readFileSync('/etc/resolv.conf', 'utf8');
const host = parseResolvConf(HOST_RESOLV);
const hostSearches = host.searches.map((s) => s.replace(/\.$/, ''));
const uids: string[] = [];

function pod(name: string, spec: Record<string, unknown>, script: string): KubeObject {
  const uid = randomUUID();
  uids.push(uid);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid, resourceVersion: '1', creationTimestamp: new Date().toISOString() },
    spec: { nodeName: NODE, restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] }], ...spec },
    status: { phase: 'Pending' },
  } as KubeObject;
}

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(skip)('pod DNS on the real dockerd', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kinglet-dns-it-'));
  let link: FakeLink;
  let agent: RunningAgent;

  /** run a pod to completion and return its container's output */
  async function output(p: KubeObject): Promise<string> {
    link.upsert('Pod', p);
    await until(`${p.metadata.name} finished`, () => ['Succeeded', 'Failed'].includes(link.lastStatus(p.metadata.uid!)?.phase));
    return (await link.logs({ namespace: 'default', pod: p.metadata.name! })).text;
  }

  beforeAll(async () => {
    const cfg = { ...agentConfig({ server: 'https://127.0.0.1:1', nodeName: NODE, dataDir, dockerHost: `unix://${DOCKER_SOCK}`, nodeIp: '127.0.0.1', dnsListen: `${GATEWAY}:53`, dnsUpstreams: ['none'] }), relistMs: 1000 };
    link = new FakeLink(CLUSTER);
    agent = await startAgent(cfg, log, { connect: async () => link, nodeReporter: null });
    link.snapshot([
      { kind: 'Service', object: { kind: 'Service', metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.96.3.4', ports: [{ name: 'http', port: 80 }] } } },
      { kind: 'Service', object: { kind: 'Service', metadata: { namespace: 'default', name: 'db' }, spec: { clusterIP: 'None' } } },
      { kind: 'Endpoints', object: { kind: 'Endpoints', metadata: { namespace: 'default', name: 'db' }, subsets: [{ addresses: [{ ip: '10.244.251.77', hostname: 'db-0' }] }] } },
    ]);
    // the DNS answers cluster names only once synced; under the Docker lock no other run's pods exist
    link.gateOpen = true;
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    const docker = testDocker();
    for (const uid of uids) {
      const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_POD_UID}=${uid}`] } });
      for (const c of list) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
    }
    await docker.getNetwork(podNetworkSpec(CLUSTER.podCidr, `unix://${DOCKER_SOCK}`).name).remove().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ClusterFirst: the cluster nameserver, namespace search path, ndots:5', async () => {
    const out = await output(pod('cf', {}, 'cat /etc/resolv.conf'));
    const search = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', ...hostSearches].join(' ');
    expect(out).toBe(`search ${search}\nnameserver 10.96.0.10\noptions ndots:5\n`);
  }, 60_000);

  it('Default: the node resolv.conf', async () => {
    expect(await output(pod('def', { dnsPolicy: 'Default' }, 'cat /etc/resolv.conf'))).toBe(renderResolvConf({ ...host, searches: hostSearches }));
  }, 60_000);

  it('ClusterFirstWithHostNet on the host network: the cluster resolver, the node file untouched', async () => {
    const out = await output(pod('hostnet', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }, 'cat /etc/resolv.conf'));
    expect(out).toBe(`search ${['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', ...hostSearches].join(' ')}\nnameserver 10.96.0.10\noptions ndots:5\n`);
    expect(readFileSync('/etc/resolv.conf', 'utf8')).toBe(HOST_RESOLV);
  }, 60_000);

  it('None with dnsConfig: exactly that, and the pod resolver gets answers from the agent DNS', async () => {
    await agent.dns!.listening;
    const script = 'cat /etc/resolv.conf; echo ---; busybox nslookup web; echo ---; busybox nslookup db-0.db.default.svc.cluster.local; echo ---; busybox nslookup example.test; true';
    const p = pod('none', { dnsPolicy: 'None', dnsConfig: { nameservers: [GATEWAY], searches: ['default.svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'timeout', value: '1' }] } }, script);
    const [conf, web, db, outside] = (await output(p)).split('---\n');
    expect(conf).toBe(`search default.svc.cluster.local\nnameserver ${GATEWAY}\noptions ndots:2 timeout:1\n`);
    // `web` through the search path, then a per-pod name of the headless Service
    expect(web).toMatch(/Name:\s+web\.default\.svc\.cluster\.local\s+Address:\s+10\.96\.3\.4/);
    expect(db).toMatch(/Address:\s+10\.244\.251\.77/);
    // no upstreams in this test: outside names are refused at once, never forwarded
    expect(outside).toMatch(/REFUSED/);
  }, 60_000);
});
