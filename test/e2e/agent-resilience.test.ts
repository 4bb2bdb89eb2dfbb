// The runtime is the memory: an agent killed with SIGKILL and started again adopts every running
// container; while the apiserver is away pods keep running and status flows again when it is back;
// a bad join token is refused with a clear message.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiserver } from '../helpers/apiserver.js';
import { dockerSkipReason, testDocker } from '../helpers/docker.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { BUSYBOX_IMAGE } from '../helpers/registry.js';
import { NODE, podJson, podUids, removePodContainers, spawnAgentProcess, until, type AgentProcess } from './agent-cluster.js';
import { createToken } from './agent-cluster.js';

const skip = await dockerSkipReason();

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** a port P with P+1 free too (the apiserver's gRPC listens on P+1 by default) */
async function portPair(): Promise<number> {
  for (;;) {
    const p = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await portFree(p)) && (await portFree(p + 1))) return p;
  }
}

async function runningIds(uid: string, kind?: string): Promise<string[]> {
  const label = [`io.kinglet.pod.uid=${uid}`, ...(kind ? [`io.kinglet.container.kind=${kind}`] : [])];
  const list = await testDocker().listContainers({ filters: { label } });
  return list.map((x) => x.Id).sort();
}

describe.skipIf(skip)('agent e2e: adoption, apiserver outage, join refusal', () => {
  let srv: Awaited<ReturnType<typeof startApiserver>>;
  let k: Kubectl;
  let agent: AgentProcess;
  const agentDir = mkdtempSync(join(tmpdir(), 'kinglet-e2e-agent-'));
  let uids: string[] = [];

  const nodeReady = () =>
    until('node Ready', async () => {
      if (agent.child.exitCode !== null) throw new Error(`agent exited:\n${agent.output().slice(-3000)}`);
      const r = await k.run(['get', 'node', NODE, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
      return r.stdout.trim() === 'True';
    }, 45_000);

  const killAgent = async (signal: NodeJS.Signals) => {
    if (agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill(signal);
    await agent.exited;
  };

  beforeAll(async () => {
    srv = await startApiserver({ args: ['--listen', `127.0.0.1:${await portPair()}`] });
    k = kubectlFor(srv);
    agent = spawnAgentProcess(srv.url, { token: createToken(srv), dataDir: agentDir, nodeName: NODE });
    await nodeReady();
  }, 90_000);

  afterAll(async () => {
    if (!srv) return;
    uids = [...new Set([...uids, ...(await podUids(k).catch(() => []))])];
    await k.run(['delete', 'pods', '--all', '--grace-period=0', '--force']).catch(() => undefined);
    await killAgent('SIGTERM').catch(() => undefined);
    await srv.stop();
    k.cleanup();
    await removePodContainers(uids);
    rmSync(agentDir, { recursive: true, force: true });
  }, 60_000);

  it('SIGKILL + restart adopts running containers: same ids, restartCount unchanged', async () => {
    await k.ok(['apply', '-f', '-'], {
      input: `
apiVersion: v1
kind: Pod
metadata: {name: survivor}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: a, image: ${BUSYBOX_IMAGE}, command: [sleep, '3600']}
  - {name: b, image: ${BUSYBOX_IMAGE}, command: [sh, -c, 'sleep 1; exit 1']}
`,
    });
    // b crash-loops so its restartCount is non-zero and must survive the restart
    const before = await until('b restarted once', async () => {
      const p = await podJson(k, 'survivor');
      const b = p?.status?.containerStatuses?.find((s: any) => s.name === 'b');
      return p?.status?.containerStatuses?.find((s: any) => s.name === 'a')?.state?.running && b?.restartCount >= 1 && p;
    }, 45_000);
    uids.push(before.metadata.uid);
    const sandboxBefore = await runningIds(before.metadata.uid, 'sandbox');
    expect(sandboxBefore).toHaveLength(1);
    const aBefore = before.status.containerStatuses.find((s: any) => s.name === 'a');

    await killAgent('SIGKILL');
    agent = spawnAgentProcess(srv.url, { dataDir: agentDir, nodeName: NODE }); // no token: the credential is reused
    await nodeReady();
    await new Promise((r) => setTimeout(r, 3000)); // a few syncs and a relist
    const after = await podJson(k, 'survivor');
    const aAfter = after.status.containerStatuses.find((s: any) => s.name === 'a');
    expect(aAfter.containerID).toBe(aBefore.containerID);
    expect(aAfter.restartCount).toBe(aBefore.restartCount);
    expect(aAfter.state.running.startedAt).toBe(aBefore.state.running.startedAt);
    const bAfter = after.status.containerStatuses.find((s: any) => s.name === 'b');
    expect(bAfter.restartCount).toBeGreaterThanOrEqual(before.status.containerStatuses.find((s: any) => s.name === 'b').restartCount);
    // the sandbox and 'a' are the very same containers
    expect(await runningIds(before.metadata.uid, 'sandbox')).toEqual(sandboxBefore);
    expect(await runningIds(before.metadata.uid)).toContain(aBefore.containerID.replace('docker://', ''));
  }, 120_000);

  it('while the apiserver is stopped the pod keeps running; afterwards status updates again', async () => {
    const p = await podJson(k, 'survivor');
    const aId = p.status.containerStatuses.find((s: any) => s.name === 'a').containerID.replace('docker://', '');
    await srv.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 4000));
    expect((await testDocker().getContainer(aId).inspect()).State.Running).toBe(true);
    expect(agent.child.exitCode).toBeNull();
    // change something while away: kill 'a' behind the agent's back
    await testDocker().getContainer(aId).kill();
    await srv.restart();
    await until('status shows the restart of a', async () => {
      const x = await podJson(k, 'survivor');
      const a = x?.status?.containerStatuses?.find((s: any) => s.name === 'a');
      return a?.restartCount >= 1 && a.state.running && a.containerID !== `docker://${aId}`;
    }, 60_000);
  }, 120_000);

  it('an unknown join token: the agent exits non-zero with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kinglet-e2e-badtoken-'));
    try {
      const real = createToken(srv);
      const bogus = real.replace(/::.*$/, '::zzzzzz.0123456789abcdef');
      const bad = spawnAgentProcess(srv.url, { token: bogus, dataDir: dir, nodeName: 'intruder' });
      const code = await Promise.race([bad.exited, new Promise<'hang'>((r) => setTimeout(() => r('hang'), 20_000))]);
      if (code === 'hang') bad.child.kill('SIGKILL');
      expect(code).not.toBe('hang');
      expect(code).not.toBe(0);
      expect(bad.output()).toMatch(/unknown bootstrap token/);
      const expired = spawnAgentProcess(srv.url, { token: createToken(srv, '1ms'), dataDir: dir, nodeName: 'late' });
      await new Promise((r) => setTimeout(r, 10));
      expect(await expired.exited).not.toBe(0);
      expect(expired.output()).toMatch(/bootstrap token expired/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
