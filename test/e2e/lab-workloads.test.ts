// Workloads in ONE real 3-node lab with the real kubectl: a Deployment behind a ClusterIP Service
// rolls (maxUnavailable 1) while a client pod counts failed requests — zero; rollout undo returns; a
// DaemonSet lands on every node; a Job (5 completions, 2 at a time) completes; a StatefulSet scales
// up in order; a failed node (agent and dockerd stopped) gets its Deployment pods recreated elsewhere
// within the apiserver's short grace. Traffic stays inside lab namespaces (client pod, lab exec).
// Run under the machine-wide lock: flock /tmp/kinglet-docker.lock npx vitest run test/e2e/lab-workloads.test.ts
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason } from '../helpers/docker.js';
import { until } from './agent-cluster.js';
import { startLab, type Lab } from './lab-cluster.js';

const skip = (await dockerSkipReason()) ?? (process.getuid?.() !== 0 ? 'the lab needs root' : undefined);

// the lease is renewed every 10 s: a 20 s grace tolerates one late renewal, never flaps
const GRACE_S = 20;
const TOLERATION_S = 5;
const LEASE_S = 10;

const webYaml = (image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 10
      containers:
      - name: httpd
        image: ${image}
        command: [sh, -c, 'mkdir -p /tmp/www && hostname > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www']
        ports: [{containerPort: 8080}]
        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
        # as real users do: keep serving while every node's proxy drops this endpoint
        lifecycle: {preStop: {exec: {command: [sleep, '3']}}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

/** asks the Service 5 times a second, one line per request: OK or FAIL */
const clientPod = (node: string, image: string, vip: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'client' },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: 1,
      containers: [{
        name: 'client',
        image,
        command: ['sh', '-c', `while true; do if printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${vip} 80 2>/dev/null | grep -q '200 OK'; then echo OK; else echo FAIL; fi; sleep 0.2; done`],
      }],
    },
  });

const isReady = (p: any): boolean => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

describe.skipIf(skip)('lab e2e: workloads across 3 nodes', () => {
  let lab: Lab;
  let image2 = '';

  beforeAll(async () => {
    lab = await startLab(3, {
      apiserverArgs: [`--node-monitor-grace-period=${GRACE_S}s`, `--default-not-ready-toleration-seconds=${TOLERATION_S}`, `--default-unreachable-toleration-seconds=${TOLERATION_S}`],
    });
    console.log(`[lab] up in ${lab.upSeconds.toFixed(1)}s`);
    // the "new image": the same content under another tag in the lab registry
    image2 = lab.busybox.replace(/:1$/, ':2');
    execFileSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${lab.busybox}`, `docker://${image2}`]);
  }, 200_000);

  afterAll(async () => {
    if (lab) console.log(`[lab] down in ${(await lab.down()).seconds.toFixed(1)}s`);
  }, 120_000);

  const getJson = async (...args: string[]): Promise<any> => JSON.parse(await lab.k.ok(['get', ...args, '-o', 'json']));
  const webPods = async (): Promise<any[]> => (await getJson('pods', '-l', 'app=web')).items;
  const rollout = () => lab.k.ok(['rollout', 'status', 'deployment/web', '--timeout=100s'], { timeoutMs: 120_000 });
  const clientLines = async (): Promise<string[]> => (await lab.k.run(['logs', 'client'])).stdout.split('\n').filter((l) => l === 'OK' || l === 'FAIL');

  it('a 4-replica Deployment rolls to a new tag with >= 3 Ready pods and no failed request; undo returns', async () => {
    await lab.k.ok(['apply', '-f', '-'], { input: webYaml(lab.busybox) });
    expect(await rollout()).toContain('successfully rolled out');
    const vip = (await getJson('service', 'web')).spec.clusterIP as string;
    await lab.k.ok(['apply', '-f', '-'], { input: clientPod('node1', lab.busybox, vip) });
    await until('client gets answers', async () => (await clientLines()).includes('OK'), 60_000);
    const before = (await clientLines()).length;

    let min = Infinity;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        min = Math.min(min, (await webPods()).filter(isReady).length);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    await lab.k.ok(['set', 'image', 'deployment/web', `httpd=${image2}`]);
    await rollout();
    await until('only new pods', async () => {
      const ps = (await webPods()).filter(isReady);
      return ps.length === 4 && ps.every((p) => p.spec.containers[0].image === image2);
    }, 60_000);
    await lab.k.ok(['rollout', 'undo', 'deployment/web']);
    await rollout();
    await until('old template back', async () => {
      const ps = await webPods();
      return ps.length === 4 && ps.every((p) => isReady(p) && p.spec.containers[0].image === lab.busybox);
    }, 60_000);
    sampling = false;
    await sampler;

    // requests made after the first answer (the client's first lines raced the proxy, not the rollout)
    const all = await clientLines();
    const during = all.slice(all.indexOf('OK'));
    console.log(`[rollout] min Ready ${min}; client: ${during.length} requests (${all.length - before} during rollout and undo), ${during.filter((l) => l === 'FAIL').length} failed`);
    expect(all.length - before).toBeGreaterThan(50);
    expect(during.filter((l) => l === 'FAIL')).toEqual([]);
    expect(min).toBeGreaterThanOrEqual(3);
    const d = await getJson('deployment', 'web');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 });
  }, 240_000);

  it('a DaemonSet lands on every node; a Job with completions 5 / parallelism 2 completes', async () => {
    const img = lab.busybox;
    await lab.k.ok(['apply', '-f', '-'], {
      input: `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: ${img}, command: [sleep, '3600']}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: five}
spec:
  completions: 5
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: ${img}, command: [sh, -c, 'sleep 1']}]
`,
    });
    let maxActive = 0;
    const job = await until('job five complete', async () => {
      const active = (await getJson('pods', '-l', 'job-name=five')).items.filter((p: any) => !['Succeeded', 'Failed'].includes(p.status?.phase) && !p.metadata.deletionTimestamp);
      maxActive = Math.max(maxActive, active.length);
      const j = await getJson('job', 'five');
      return j.status?.conditions?.some((c: any) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    }, 120_000);
    expect(job.status.succeeded).toBe(5);
    expect(maxActive).toBeLessThanOrEqual(2);
    const ds = await until('daemon pods Running on all nodes', async () => {
      const ps = (await getJson('pods', '-l', 'app=agent')).items;
      return ps.length === 3 && ps.every((p: any) => p.status?.phase === 'Running') ? ps : undefined;
    }, 60_000);
    expect(ds.map((p: any) => p.spec.nodeName).sort()).toEqual(['node1', 'node2', 'node3']);
    expect((await getJson('daemonset', 'agent')).status).toMatchObject({ desiredNumberScheduled: 3, numberReady: 3 });
  }, 150_000);

  it('a StatefulSet scales up in order: each pod is created only after the one before is Ready', async () => {
    await lab.k.ok(['apply', '-f', '-'], {
      input: `
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: ${lab.busybox}
        command: [sh, -c, 'sleep 2; touch /tmp/ready; exec sleep 3600']
        readinessProbe: {exec: {command: [test, -f, /tmp/ready]}, periodSeconds: 1}
`,
    });
    await until('db-0 Ready', async () => (await getJson('pods', '-l', 'app=db')).items.some((p: any) => p.metadata.name === 'db-0' && isReady(p)), 60_000);
    await lab.k.ok(['scale', 'statefulset/db', '--replicas=3']);
    const firstSeen = new Map<string, number>();
    const firstReady = new Map<string, number>();
    await until('db-0..2 Ready', async () => {
      const ps = (await getJson('pods', '-l', 'app=db')).items;
      for (const p of ps) {
        if (!firstSeen.has(p.metadata.name)) firstSeen.set(p.metadata.name, Date.now());
        if (isReady(p) && !firstReady.has(p.metadata.name)) firstReady.set(p.metadata.name, Date.now());
      }
      return ps.length === 3 && ps.every(isReady);
    }, 90_000);
    // each pod needs >= 2 s to turn Ready, so a parallel scale-up would show db-2 long before db-1 is Ready
    expect(firstSeen.get('db-2')!).toBeGreaterThanOrEqual(firstReady.get('db-1')!);
    const ps = (await getJson('pods', '-l', 'app=db')).items;
    expect(ps.map((p: any) => p.spec.hostname).sort()).toEqual(['db-0', 'db-1', 'db-2']);
    await lab.k.ok(['delete', 'statefulset', 'db', '--wait=false']);
  }, 150_000);

  it('a failed node (agent and dockerd stopped) has its Deployment pods recreated on the others within the grace', async () => {
    const byNode = (ps: any[], n: string) => ps.filter((p) => p.spec.nodeName === n && !p.metadata.deletionTimestamp).length;
    const ps = await webPods();
    // not node1: it runs the client pod; the other node with the most web pods
    const victim = byNode(ps, 'node3') >= byNode(ps, 'node2') ? 'node3' : 'node2';
    const lost = byNode(ps, victim);
    expect(lost).toBeGreaterThan(0);
    const t0 = Date.now();
    const stop = await lab.stopNode(victim);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain(`${victim}: agent and dockerd stopped`);
    await until('4 Ready web pods, none on the failed node', async () => {
      const now = (await webPods()).filter(isReady);
      return now.length === 4 && now.every((p) => p.spec.nodeName !== victim);
    }, (GRACE_S + TOLERATION_S + 60) * 1000);
    const seconds = (Date.now() - t0) / 1000;
    console.log(`[node failure] ${lost} pod(s) on ${victim} recreated elsewhere in ${seconds.toFixed(1)}s (grace ${GRACE_S}s + toleration ${TOLERATION_S}s)`);
    // silence began at the last lease, up to one lease period before the stop
    expect(seconds).toBeGreaterThanOrEqual(GRACE_S - LEASE_S + TOLERATION_S);
    const node = await getJson('node', victim);
    expect(node.spec.taints.map((t: any) => t.key)).toContain('node.kubernetes.io/unreachable');
  }, 150_000);
});
