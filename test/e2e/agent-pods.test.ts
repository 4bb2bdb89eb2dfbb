// A real apiserver + a real agent process on the test dockerd, driven by the real kubectl: pods
// reach Running with status, init containers fill an emptyDir that httpd serves to a client pod,
// env and volumes from ConfigMaps/Secrets, logs (-c, --tail, --previous, -f), describe events and
// the Node object.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason } from '../helpers/docker.js';
import { BUSYBOX_IMAGE } from '../helpers/registry.js';
import { NODE, podJson, startAgentCluster, stopAgentCluster, until, type AgentCluster } from './agent-cluster.js';

const skip = await dockerSkipReason();

describe.skipIf(skip)('agent e2e: pods, logs, volumes', () => {
  let c: AgentCluster;
  const uids: string[] = [];

  beforeAll(async () => {
    c = await startAgentCluster();
  }, 90_000);

  afterAll(async () => {
    await stopAgentCluster(c, uids);
  }, 60_000);

  const apply = (yaml: string) => c.k.ok(['apply', '-f', '-'], { input: yaml });
  const running = (name: string, timeoutMs = 30_000) =>
    until(`${name} Running`, async () => {
      const p = await podJson(c.k, name);
      return p?.status?.phase === 'Running' && p.status.containerStatuses?.every((s: any) => s.ready) && p;
    }, timeoutMs);
  const remember = (p: any) => uids.push(p.metadata.uid);

  it('node: Ready with INTERNAL-IP, OS-IMAGE and CONTAINER-RUNTIME docker://', async () => {
    const out = await c.k.ok(['get', 'nodes', '-o', 'wide']);
    const line = out.split('\n').find((l) => l.startsWith(NODE))!;
    expect(line).toMatch(/\bReady\b/);
    expect(line).toContain('127.0.0.1');
    expect(line).toMatch(/docker:\/\/\d+\.\d+/);
    const node = JSON.parse(await c.k.ok(['get', 'node', NODE, '-o', 'json']));
    expect(node.status.nodeInfo.osImage).toBeTruthy();
    expect(node.spec.podCIDR).toMatch(/^10\.244\.\d+\.0\/24$/);
  });

  it('init containers fill an emptyDir that httpd serves; a client pod fetches it; Init:N/2 shows', async () => {
    const watch = c.k.watch(['get', 'pods', '-w']);
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: www, emptyDir: {}}]
  initContainers:
  - {name: init-a, image: ${BUSYBOX_IMAGE}, command: [sh, -c, 'sleep 1; echo -n "hello " > /www/index.html'], volumeMounts: [{name: www, mountPath: /www}]}
  - {name: init-b, image: ${BUSYBOX_IMAGE}, command: [sh, -c, 'sleep 1; echo from-init >> /www/index.html'], volumeMounts: [{name: www, mountPath: /www}]}
  containers:
  - {name: httpd, image: ${BUSYBOX_IMAGE}, command: [httpd, -f, -p, '8080', -h, /www], volumeMounts: [{name: www, mountPath: /www}], ports: [{containerPort: 8080}]}
`);
    await watch.waitForLine(/^web\s.*Init:[01]\/2/, 20_000);
    await watch.kill();
    const web = await running('web');
    remember(web);
    expect(web.status.podIP).toMatch(/^10\.244\./);
    expect(web.status.hostIP).toBe('127.0.0.1');
    const cond = Object.fromEntries(web.status.conditions.map((x: any) => [x.type, x.status]));
    expect(cond).toMatchObject({ PodScheduled: 'True', Initialized: 'True', ContainersReady: 'True', Ready: 'True' });
    expect(web.status.containerStatuses[0]).toMatchObject({ name: 'httpd', ready: true, restartCount: 0, state: { running: {} } });
    expect(web.status.containerStatuses[0].containerID).toMatch(/^docker:\/\//);
    expect(web.status.initContainerStatuses.map((s: any) => s.state.terminated.reason)).toEqual(['Completed', 'Completed']);

    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  restartPolicy: Never
  containers:
  - {name: nc, image: ${BUSYBOX_IMAGE}, command: [sh, -c, "printf 'GET / HTTP/1.0\\\\r\\\\n\\\\r\\\\n' | nc ${web.status.podIP} 8080"]}
`);
    const client = await until('client Succeeded', async () => {
      const p = await podJson(c.k, 'client');
      return p?.status?.phase === 'Succeeded' && p;
    });
    remember(client);
    const logs = await c.k.ok(['logs', 'client']);
    expect(logs).toContain('200 OK');
    expect(logs).toContain('hello from-init');

    const describe = await c.k.ok(['describe', 'pod', 'web']);
    for (const reason of ['Scheduled', 'Pulled', 'Created', 'Started']) expect(describe).toMatch(new RegExp(`Normal\\s+${reason}\\b`));
  }, 90_000);

  it('env from ConfigMap and Secret; a configMap volume follows kubectl apply', async () => {
    await apply(`
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {greeting: hello-cm, file.txt: version-1}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
stringData: {password: s3cret}
---
apiVersion: v1
kind: Pod
metadata: {name: envpod}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: cfg, configMap: {name: cfg}}]
  containers:
  - name: app
    image: ${BUSYBOX_IMAGE}
    command: [sh, -c, 'echo "G=$GREETING P=$PASSWORD X=$(X)"; while true; do echo "file=$(cat /cfg/file.txt)"; sleep 1; done']
    env:
    - {name: GREETING, valueFrom: {configMapKeyRef: {name: cfg, key: greeting}}}
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: sec, key: password}}}
    - {name: X, value: "$(GREETING)-x"}
    volumeMounts: [{name: cfg, mountPath: /cfg}]
`);
    remember(await running('envpod'));
    await until('env line', async () => (await c.k.ok(['logs', 'envpod'])).includes('G=hello-cm P=s3cret X=hello-cm-x'));
    await until('file v1', async () => (await c.k.ok(['logs', 'envpod', '--tail', '1'])).includes('file=version-1'));
    await apply(`
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {greeting: hello-cm, file.txt: version-2}
`);
    await until('file v2', async () => (await c.k.ok(['logs', 'envpod', '--tail', '1'])).includes('file=version-2'), 30_000);
  }, 90_000);

  it('kubectl logs: -c, --tail, --previous, -f', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: logpod}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: ticker, image: ${BUSYBOX_IMAGE}, command: [sh, -c, 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.3; done']}
  - {name: crasher, image: ${BUSYBOX_IMAGE}, command: [sh, -c, 'echo boot-$(cut -d" " -f1 /proc/uptime); sleep 2; exit 1']}
`);
    const p = await until('crasher restarted', async () => {
      const x = await podJson(c.k, 'logpod');
      const s = x?.status?.containerStatuses?.find((s: any) => s.name === 'crasher');
      return s?.restartCount >= 1 && x;
    }, 45_000);
    remember(p);
    const tail = await c.k.ok(['logs', 'logpod', '-c', 'ticker', '--tail', '2']);
    expect(tail.trim().split('\n')).toHaveLength(2);
    expect(tail).toMatch(/^tick-\d+\ntick-\d+\n$/);
    const prev = await c.k.ok(['logs', 'logpod', '-c', 'crasher', '--previous']);
    expect(prev).toMatch(/^boot-[\d.]+\n$/);
    const noPrev = await c.k.run(['logs', 'logpod', '-c', 'ticker', '--previous']);
    expect(noPrev.code).not.toBe(0);
    expect(noPrev.stderr).toContain('previous terminated container');
    const f = c.k.watch(['logs', '-f', 'logpod', '-c', 'ticker', '--tail', '0']);
    await f.waitForLine(/^tick-\d+$/, 10_000);
    await f.kill();
  }, 90_000);
});
