// A restart of the Docker Engine is survived: dockerd (without live-restore) stops every container
// on its way down; once it is back the agent reconnects (events stream, relist) and brings the pods
// back per restartPolicy — Always: a new sandbox and the app container again with restartCount 1;
// Never: the pod is done (Failed), nothing restarted. Restarts the shared TEST dockerd: run under
// the machine-wide lock (flock /tmp/kinglet-docker.lock) and it is left running afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_SOCK, IMAGES_DIR, dockerSkipReason, testDocker } from '../helpers/docker.js';
import { BUSYBOX_IMAGE } from '../helpers/registry.js';
import { podJson, startAgentCluster, stopAgentCluster, until, type AgentCluster } from './agent-cluster.js';

const skip = await dockerSkipReason();
const PIDFILE = join(process.env.KINGLET_DOCKER_RUN ?? '/run/kinglet-test', 'docker.pid');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM the test dockerd, wait until it is gone, start it again with the project's script. */
async function restartTestDockerd(): Promise<void> {
  const pid = Number(readFileSync(PIDFILE, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) throw new Error(`no running test dockerd in ${PIDFILE}`);
  process.kill(pid, 'SIGTERM');
  // dockerd stops the containers first (up to their stop timeout, 10 s for a SIGTERM-ignoring PID 1)
  await until('test dockerd stopped', () => !alive(pid), 60_000, 200);
  execFileSync('bash', [join(IMAGES_DIR, 'ensure-docker.sh')], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, KINGLET_DOCKER_SOCK: DOCKER_SOCK } });
}

describe.skipIf(skip)('agent e2e: dockerd restart', () => {
  let c: AgentCluster;
  const uids: string[] = [];

  beforeAll(async () => {
    c = await startAgentCluster();
  }, 90_000);

  afterAll(async () => {
    // whatever happened, the shared test dockerd is left running
    if (!existsSync(DOCKER_SOCK) || !(await testDocker().ping().then(() => true, () => false))) {
      execFileSync('bash', [join(IMAGES_DIR, 'ensure-docker.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    await stopAgentCluster(c, uids);
  }, 90_000);

  it('containers come back per restartPolicy: Always restarts (restartCount 1), Never ends Failed', async () => {
    await c.k.ok(['apply', '-f', '-'], {
      input: `
apiVersion: v1
kind: Pod
metadata: {name: phoenix}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: app, image: ${BUSYBOX_IMAGE}, command: [sleep, '3600']}]
---
apiVersion: v1
kind: Pod
metadata: {name: once}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  containers: [{name: app, image: ${BUSYBOX_IMAGE}, command: [sleep, '3600']}]
`,
    });
    const before: Record<string, any> = {};
    for (const name of ['phoenix', 'once']) {
      before[name] = await until(`${name} Running`, async () => {
        const p = await podJson(c.k, name);
        return p?.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready && p;
      }, 60_000);
      uids.push(before[name].metadata.uid);
      expect(before[name].status.containerStatuses[0].restartCount).toBe(0);
    }

    await restartTestDockerd();
    expect(c.agent.child.exitCode).toBeNull(); // the agent rode it out

    const after = await until('phoenix Running again with restartCount 1', async () => {
      const p = await podJson(c.k, 'phoenix');
      const s = p?.status?.containerStatuses?.[0];
      return p?.status?.phase === 'Running' && s?.ready && s.restartCount === 1 && s.containerID !== before.phoenix.status.containerStatuses[0].containerID && p;
    }, 90_000);
    const s = after.status.containerStatuses[0];
    expect(s.state.running).toBeDefined();
    // the previous instance was stopped by dockerd's shutdown (SIGTERM ignored as PID 1 → SIGKILL)
    expect(s.lastState.terminated).toMatchObject({ exitCode: 137 });
    // a new sandbox, so a (possibly) new pod IP on the pod network
    expect(after.status.podIP).toMatch(/^10\.244\./);

    const once = await until('once Failed', async () => {
      const p = await podJson(c.k, 'once');
      return p?.status?.phase === 'Failed' && p;
    }, 60_000);
    expect(once.status.containerStatuses[0].restartCount).toBe(0);
    expect(once.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 137 });
    // nothing of it runs again
    const running = await testDocker().listContainers({ filters: { label: [`io.kinglet.pod.uid=${once.metadata.uid}`] } });
    expect(running).toEqual([]);
  }, 240_000);
});
