// A composed agent (agent/main.ts) on the test dockerd with an in-memory link, for the prober and
// lifecycle-hook tests: pod builders, a poller, event lookups and cleanup of exactly our containers.
// Probe traffic goes only to pod IPs on the pod bridge this agent creates.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { KubeObject } from '../../../api/types.js';
import { agentConfig } from '../../../agent/config.js';
import { startAgent, type RunningAgent } from '../../../agent/main.js';
import { LABEL_CONTAINER_NAME, LABEL_POD_UID } from '../../../agent/runtime/labels.js';
import { DOCKER_SOCK, testDocker } from '../../helpers/docker.js';
import { BUSYBOX_IMAGE } from '../../helpers/registry.js';
import { FakeLink } from '../agent/fake-link.js';

const CLUSTER = { serviceCidr: '10.96.0.0/16', clusterCidr: '10.244.0.0/16', podCidr: '10.244.250.0/24', clusterDns: '10.96.0.10', clusterDomain: 'cluster.local' };

export const ctr = (name: string, command: string[], extra: Record<string, unknown> = {}) => ({ name, image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command, ...extra });

export async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000, stepMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export class ProbeAgent {
  readonly node = `probe-node-${process.pid}`;
  readonly link = new FakeLink(CLUSTER);
  agent?: RunningAgent;
  private readonly uids: string[] = [];
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'kinglet-probe-it-'));

  async start(): Promise<void> {
    const log = pino({ level: process.env.KINGLET_TEST_LOG ?? 'silent' });
    const cfg = { ...agentConfig({ server: 'https://127.0.0.1:1', nodeName: this.node, dataDir: this.dataDir, dockerHost: `unix://${DOCKER_SOCK}`, nodeIp: '127.0.0.1' }), relistMs: 1000 };
    this.agent = await startAgent(cfg, log, { connect: async () => this.link, nodeReporter: null });
    this.link.snapshot([]);
  }

  pod(name: string, spec: Record<string, unknown>): KubeObject {
    const uid = randomUUID();
    this.uids.push(uid);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', uid, resourceVersion: '1', creationTimestamp: new Date().toISOString() },
      spec: { nodeName: this.node, restartPolicy: 'Always', terminationGracePeriodSeconds: 2, dnsPolicy: 'Default', ...spec },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
    } as KubeObject;
  }

  status(p: KubeObject): any {
    return this.link.lastStatus(p.metadata.uid!);
  }

  container(p: KubeObject, name: string): any {
    return this.status(p)?.containerStatuses?.find((s: any) => s.name === name);
  }

  condition(p: KubeObject, type: string): any {
    return this.status(p)?.conditions?.find((c: any) => c.type === type);
  }

  events(p: KubeObject, reason?: string): KubeObject[] {
    return this.link.events.filter((e: any) => e.involvedObject.uid === p.metadata.uid && (!reason || e.reason === reason));
  }

  async containers(p: KubeObject) {
    return testDocker().listContainers({ all: true, filters: { label: [`${LABEL_POD_UID}=${p.metadata.uid}`] } });
  }

  /** run a command in the pod's running container `name` (test-side toggles) */
  async exec(p: KubeObject, name: string, cmd: string[]): Promise<void> {
    const c = (await this.containers(p)).find((x) => x.State === 'running' && x.Labels[LABEL_CONTAINER_NAME] === name);
    if (!c) throw new Error(`no running container ${name}`);
    const ex = await testDocker().getContainer(c.Id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await ex.start({ hijack: true, stdin: false });
    await new Promise((r) => {
      stream.on('end', r);
      stream.resume();
    });
  }

  async stop(): Promise<void> {
    await this.agent?.stop();
    const docker = testDocker();
    for (const uid of this.uids) {
      const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_POD_UID}=${uid}`] } });
      for (const c of list) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
