// Failure paths through the real kubectl: image pull errors and back-off, pull secrets against the
// htpasswd registry, CrashLoopBackOff, restartPolicy Never → Failed, graceful and forced deletion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason, testDocker } from '../helpers/docker.js';
import { AUTH_BUSYBOX_IMAGE, BUSYBOX_IMAGE, MISSING_IMAGE, dockerConfigJson } from '../helpers/registry.js';
import { podJson, startAgentCluster, stopAgentCluster, until, type AgentCluster } from './agent-cluster.js';

const skip = await dockerSkipReason();

describe.skipIf(skip)('agent e2e: failures and deletion', () => {
  let c: AgentCluster;
  const uids: string[] = [];

  beforeAll(async () => {
    c = await startAgentCluster();
    // the auth image must really be pulled through the secret, not found locally
    await testDocker().getImage(AUTH_BUSYBOX_IMAGE).remove({ noprune: true }).catch(() => undefined);
  }, 90_000);

  afterAll(async () => {
    await stopAgentCluster(c, uids);
  }, 60_000);

  const apply = (yaml: string) => c.k.ok(['apply', '-f', '-'], { input: yaml });
  const getLine = async (name: string) => (await c.k.ok(['get', 'pod', name, '--no-headers'])).trim();

  it('bad image → ErrImagePull, then ImagePullBackOff', async () => {
    // ErrImagePull lasts one sync (as with the kubelet): only a watch sees it reliably
    const watch = c.k.watch(['get', 'pods', '-w']);
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: badimage}
spec:
  containers: [{name: app, image: ${MISSING_IMAGE}}]
`);
    await watch.waitForLine(/^badimage\s.*\sErrImagePull\s/, 20_000);
    await watch.waitForLine(/^badimage\s.*\sImagePullBackOff\s/, 20_000);
    await watch.kill();
    expect(await getLine('badimage')).toMatch(/\s(ErrImagePull|ImagePullBackOff)\s/);
    const describe = await c.k.ok(['describe', 'pod', 'badimage']);
    expect(describe).toMatch(/Normal\s+Pulling/);
    expect(describe).toMatch(/Warning\s+Failed/);
  }, 60_000);

  it('imagePullSecrets: the htpasswd registry pulls with the secret, ErrImagePull without', async () => {
    await apply(`
apiVersion: v1
kind: Secret
metadata: {name: regcred}
type: kubernetes.io/dockerconfigjson
data: {.dockerconfigjson: ${Buffer.from(dockerConfigJson()).toString('base64')}}
---
apiVersion: v1
kind: Pod
metadata: {name: nosecret}
spec:
  containers: [{name: app, image: ${AUTH_BUSYBOX_IMAGE}, imagePullPolicy: Always, command: [sleep, '3600']}]
---
apiVersion: v1
kind: Pod
metadata: {name: withsecret}
spec:
  terminationGracePeriodSeconds: 1
  imagePullSecrets: [{name: regcred}]
  containers: [{name: app, image: ${AUTH_BUSYBOX_IMAGE}, imagePullPolicy: Always, command: [sleep, '3600']}]
`);
    await until('withsecret Running', async () => (await podJson(c.k, 'withsecret'))?.status?.phase === 'Running', 40_000);
    await until('nosecret pull error', async () => /(ErrImagePull|ImagePullBackOff)/.test(await getLine('nosecret')), 30_000);
  }, 90_000);

  it('a crashing container → CrashLoopBackOff with a growing restartCount', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: crashy}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: app, image: ${BUSYBOX_IMAGE}, command: [sh, -c, 'exit 2']}]
`);
    const p = await until('CrashLoopBackOff, restarts ≥ 1', async () => {
      const x = await podJson(c.k, 'crashy');
      const s = x?.status?.containerStatuses?.[0];
      return s?.state?.waiting?.reason === 'CrashLoopBackOff' && s.restartCount >= 1 && x;
    }, 40_000);
    const first = p.status.containerStatuses[0].restartCount;
    expect(p.status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(await getLine('crashy')).toMatch(/CrashLoopBackOff/);
    // back-off is 10 s then 20 s: the next restart comes within ~25 s
    await until('restartCount grows', async () => (await podJson(c.k, 'crashy'))?.status?.containerStatuses?.[0]?.restartCount > first, 35_000, 1000);
  }, 90_000);

  it('restartPolicy Never → Failed with reason Error and the exit code', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  restartPolicy: Never
  containers: [{name: app, image: ${BUSYBOX_IMAGE}, command: [sh, -c, 'exit 7']}]
`);
    const p = await until('Failed', async () => {
      const x = await podJson(c.k, 'never');
      return x?.status?.phase === 'Failed' && x;
    });
    expect(p.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 7, reason: 'Error' });
    expect(p.status.containerStatuses[0].restartCount).toBe(0);
    expect(await getLine('never')).toMatch(/\sError\s/);
  }, 60_000);

  it('a SIGTERM-ignoring container is killed after its grace period; --grace-period=0 --force works', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: stubborn}
spec:
  terminationGracePeriodSeconds: 3
  containers: [{name: app, image: ${BUSYBOX_IMAGE}, command: [sh, -c, 'trap "" TERM; while true; do sleep 1; done']}]
---
apiVersion: v1
kind: Pod
metadata: {name: forced}
spec:
  terminationGracePeriodSeconds: 60
  containers: [{name: app, image: ${BUSYBOX_IMAGE}, command: [sh, -c, 'trap "" TERM; while true; do sleep 1; done']}]
`);
    for (const n of ['stubborn', 'forced']) {
      const p = await until(`${n} Running`, async () => {
        const x = await podJson(c.k, n);
        return x?.status?.phase === 'Running' && x;
      });
      uids.push(p.metadata.uid);
    }
    const stubbornUid = uids.at(-2)!;
    const t0 = Date.now();
    await c.k.ok(['delete', 'pod', 'stubborn', '--wait=true'], { timeoutMs: 30_000 });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(3000);
    expect(took).toBeLessThan(15_000);
    const left = await testDocker().listContainers({ filters: { label: [`io.kinglet.pod.uid=${stubbornUid}`] } });
    expect(left).toEqual([]); // nothing of it still running

    const t1 = Date.now();
    await c.k.ok(['delete', 'pod', 'forced', '--grace-period=0', '--force'], { timeoutMs: 30_000 });
    expect((await c.k.run(['get', 'pod', 'forced'])).code).not.toBe(0);
    const forcedUid = uids.at(-1)!;
    await until('forced containers stopped', async () => (await testDocker().listContainers({ filters: { label: [`io.kinglet.pod.uid=${forcedUid}`] } })).length === 0, 15_000);
    expect(Date.now() - t1).toBeLessThan(15_000);
  }, 90_000);
});
