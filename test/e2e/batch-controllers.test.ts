// Job and CronJob controllers end to end: a real apiserver process, the real kubectl, and a fake
// kubelet (test/helpers/fake-kubelet.ts) that runs pods by writing their status through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './agent-cluster.js';
import { startApiserver, type TestApiserver } from '../helpers/apiserver.js';
import { startFakeKubelet, type FakeKubelet } from '../helpers/fake-kubelet.js';
import { kubectlFor, tableRows, type Kubectl } from '../helpers/kubectl.js';

const NS = 'e2e-batch';
let srv: TestApiserver;
let k: Kubectl;
let kubelet: FakeKubelet;
const runningSince = new Map<string, number>();

beforeAll(async () => {
  srv = await startApiserver();
  k = kubectlFor(srv);
  await k.ok(['create', 'namespace', NS]);
  kubelet = await startFakeKubelet(srv, {
    nodes: [{ name: 'fk-1' }, { name: 'fk-2' }],
    outcome: (pod) => {
      if (pod.metadata.annotations?.['test/exit']) return Number(pod.metadata.annotations['test/exit']);
      const since = runningSince.get(pod.metadata.uid) ?? (runningSince.set(pod.metadata.uid, Date.now()), Date.now());
      return Date.now() - since > 700 ? 0 : 'run';
    },
  });
}, 60_000);

afterAll(async () => {
  await kubelet?.stop();
  k?.cleanup();
  await srv?.stop();
});

async function jobJson(name: string): Promise<Record<string, any>> {
  return JSON.parse(await k.ok(['get', 'job', name, '-n', NS, '-o', 'json']));
}

async function podsOf(job: string): Promise<Record<string, any>[]> {
  return JSON.parse(await k.ok(['get', 'pods', '-n', NS, '-l', `batch.kubernetes.io/job-name=${job}`, '-o', 'json'])).items;
}

describe('Job', () => {
  it('completions 5 parallelism 2 completes with at most 2 pods at a time', async () => {
    await k.ok(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: five, namespace: ${NS}}
spec:
  completions: 5
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: ["true"]}]
`,
    });
    let peak = 0;
    const job = await until('job five Complete', async () => {
      const pods = await podsOf('five');
      peak = Math.max(peak, pods.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase)).length);
      const j = await jobJson('five');
      return j.status?.conditions?.some((c: any) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    }, 40_000, 100);
    expect(job.status.succeeded).toBe(5);
    expect(job.status.completionTime).toBeTruthy();
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBeGreaterThan(0);
    const pods = await podsOf('five');
    expect(pods).toHaveLength(5);
    for (const p of pods) expect(p.metadata.ownerReferences[0]).toMatchObject({ kind: 'Job', name: 'five', controller: true, blockOwnerDeletion: true });
    const rows = tableRows(await k.ok(['get', 'jobs', '-n', NS, 'five']));
    expect(rows[0]).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(rows[1].slice(0, 3)).toEqual(['five', 'Complete', '5/5']);
    const described = await k.ok(['describe', 'job', 'five', '-n', NS]);
    expect(described).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 5 Succeeded \/ 0 Failed/);
    expect(described).toMatch(/Completions:\s+5/);
    expect(described).toMatch(/SuccessfulCreate\s+.*Created pod: five-/);
    expect(described).toMatch(/Completed\s+.*Job completed/);
    // a finished Job is left alone: no further writes
    const rv = (await jobJson('five')).metadata.resourceVersion;
    await new Promise((r) => setTimeout(r, 2000));
    expect((await jobJson('five')).metadata.resourceVersion).toBe(rv);
  });

  it('kubectl create job runs one pod to completion', async () => {
    await k.ok(['create', 'job', 'once', '-n', NS, '--image=busybox', '--', 'true']);
    await until('job once Complete', async () => ((await jobJson('once')).status?.succeeded === 1 ? true : undefined), 30_000);
    expect(tableRows(await k.ok(['get', 'jobs', '-n', NS, 'once']))[1].slice(0, 3)).toEqual(['once', 'Complete', '1/1']);
  });

  it('fails with BackoffLimitExceeded when pods keep failing', async () => {
    await k.ok(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: doomed, namespace: ${NS}}
spec:
  backoffLimit: 0
  template:
    metadata: {annotations: {test/exit: "3"}}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: ["false"]}]
`,
    });
    const j = await until('job doomed Failed', async () => {
      const x = await jobJson('doomed');
      return x.status?.conditions?.some((c: any) => c.type === 'Failed' && c.status === 'True') ? x : undefined;
    }, 30_000);
    expect(j.status.failed).toBe(1);
    expect(j.status.conditions.find((c: any) => c.type === 'Failed').reason).toBe('BackoffLimitExceeded');
    expect(tableRows(await k.ok(['get', 'jobs', '-n', NS, 'doomed']))[1][1]).toBe('Failed');
  });

  it('Indexed job gives each pod its index and hostname; TTL deletes the finished job', async () => {
    await k.ok(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: idx, namespace: ${NS}}
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  ttlSecondsAfterFinished: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: ["true"]}]
`,
    });
    const pods = await until('3 indexed pods', async () => {
      const ps = await podsOf('idx');
      return ps.length === 3 ? ps : undefined;
    });
    const idx = pods.map((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort();
    expect(idx).toEqual(['0', '1', '2']);
    expect(pods.map((p) => p.spec.hostname).sort()).toEqual(['idx-0', 'idx-1', 'idx-2']);
    const done = await until('idx complete', async () => {
      const x = await jobJson('idx').catch(() => undefined);
      return x?.status?.completedIndexes === '0-2' ? x : undefined;
    }, 20_000, 100);
    expect(done.status.succeeded).toBe(3);
    await until('idx deleted by TTL', async () => (await k.run(['get', 'job', 'idx', '-n', NS])).code !== 0, 20_000);
  });
});

describe('CronJob', () => {
  it('starts Jobs on its schedule and keeps its successful history limit', async () => {
    await k.ok(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: CronJob
metadata: {name: tick, namespace: ${NS}}
spec:
  schedule: "@every 2s"
  timeZone: Europe/Berlin
  successfulJobsHistoryLimit: 2
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox, command: ["true"]}]
`,
    });
    const started = new Set<string>();
    await until('4 jobs started by the cronjob', async () => {
      const jobs = JSON.parse(await k.ok(['get', 'jobs', '-n', NS, '-o', 'json'])).items.filter((j: any) => j.metadata.ownerReferences?.[0]?.name === 'tick');
      for (const j of jobs) started.add(j.metadata.name);
      const done = jobs.filter((j: any) => j.status?.conditions?.some((c: any) => c.type === 'Complete' && c.status === 'True'));
      expect(done.length).toBeLessThanOrEqual(3); // 2 kept + at most one just finished, not yet pruned
      return started.size >= 4 ? true : undefined;
    }, 40_000, 200);
    await k.ok(['patch', 'cronjob', 'tick', '-n', NS, '--type=merge', '-p', '{"spec":{"suspend":true}}']);
    const settled = await until('history trimmed to 2 finished jobs', async () => {
      const jobs = JSON.parse(await k.ok(['get', 'jobs', '-n', NS, '-o', 'json'])).items.filter((j: any) => j.metadata.ownerReferences?.[0]?.name === 'tick');
      const running = jobs.filter((j: any) => !j.status?.conditions?.some((c: any) => c.status === 'True' && c.type === 'Complete'));
      return running.length === 0 && jobs.length === 2 ? jobs : undefined;
    }, 20_000);
    for (const j of settled) expect(j.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toMatch(/^\d{4}-\d\d-\d\dT/);
    const cj = JSON.parse(await k.ok(['get', 'cronjob', 'tick', '-n', NS, '-o', 'json']));
    expect(cj.status.lastScheduleTime).toBeTruthy();
    expect(cj.status.lastSuccessfulTime).toBeTruthy();
    const rows = tableRows(await k.ok(['get', 'cronjobs', '-n', NS]));
    expect(rows[0]).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(rows[1].slice(0, 5)).toEqual(['tick', '@every 2s', 'Europe/Berlin', 'True', '0']);
    expect(await k.ok(['describe', 'cronjob', 'tick', '-n', NS])).toMatch(/Schedule:\s+@every 2s/);
  }, 70_000);

  it('kubectl create cronjob stores a standard schedule', async () => {
    await k.ok(['create', 'cronjob', 'nightly', '-n', NS, '--image=busybox', '--schedule=0 3 * * *', '--', 'true']);
    const rows = tableRows(await k.ok(['get', 'cronjobs', '-n', NS, 'nightly']));
    expect(rows[1].slice(0, 6)).toEqual(['nightly', '0 3 * * *', '<none>', 'False', '0', '<none>']);
  });
});
