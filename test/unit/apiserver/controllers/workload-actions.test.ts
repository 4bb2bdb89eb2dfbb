// The thin action halves of the workload controllers against the in-memory registry: what a sync
// writes (pods with controller ownerReferences, claims, status) for a given stored state.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { resourceFor } from '../../../../api/resources.js';
import { DAEMONSETS, syncDaemonSet } from '../../../../apiserver/controllers/daemonset-controller.js';
import { JOBS, syncJob } from '../../../../apiserver/controllers/job-controller.js';
import { STATEFULSETS, syncStatefulSet } from '../../../../apiserver/controllers/statefulset-controller.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';

const PODS = resourceFor('', 'pods')!;
const NODES = resourceFor('', 'nodes')!;
const PVCS = resourceFor('', 'persistentvolumeclaims')!;
const log = pino({ level: 'silent' });
const T0 = Date.parse('2026-01-01T00:00:00Z');
const tmpl = { metadata: { labels: { app: 'x' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } };

describe('job sync', () => {
  it('creates parallelism pods owned by the Job, then writes Complete once they succeed', async () => {
    const reg = new FakeRegistry();
    const job = reg.seed(JOBS, { metadata: { name: 'j', namespace: 'ns', uid: 'ju' }, spec: { completions: 2, parallelism: 2, backoffLimit: 6, template: tmpl } });
    await syncJob(reg, 'ns/j', T0, { signal: new AbortController().signal, log });
    const pods = reg.all(PODS, 'ns');
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(reg.peek(JOBS, 'ns', 'j')!.status).toMatchObject({ active: 2, ready: 0 });
    for (const p of pods) reg.seed(PODS, { ...p, status: { phase: 'Succeeded' } });
    await syncJob(reg, 'ns/j', T0 + 1000, { signal: new AbortController().signal, log });
    const st = reg.peek(JOBS, 'ns', 'j')!.status;
    expect(st.succeeded).toBe(2);
    expect(st.conditions.map((c: any) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(reg.all(PODS, 'ns')).toHaveLength(2);
  });
});

describe('daemonset sync', () => {
  it('creates one pinned pod per node and reports the counts', async () => {
    const reg = new FakeRegistry();
    for (const n of ['a', 'b']) reg.seed(NODES, { metadata: { name: n }, spec: {} });
    reg.seed(DAEMONSETS, { metadata: { name: 'd', namespace: 'ns', generation: 1 }, spec: { selector: { matchLabels: { app: 'x' } }, template: { ...tmpl, spec: { containers: tmpl.spec.containers } } } });
    await syncDaemonSet(reg, 'ns/d', T0, log);
    const nodes = reg.all(PODS, 'ns').map((p) => p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]);
    expect(nodes.sort()).toEqual(['a', 'b']);
    // status counts what existed when the sync began; the next sync sees the new pods
    expect(reg.peek(DAEMONSETS, 'ns', 'd')!.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 0 });
    await syncDaemonSet(reg, 'ns/d', T0, log);
    expect(reg.all(PODS, 'ns')).toHaveLength(2);
    expect(reg.peek(DAEMONSETS, 'ns', 'd')!.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 0 });
  });
});

describe('daemonset requeue', () => {
  it('an explicit minReadySeconds: 0 asks for no timed re-sync (a 0 would spin the queue)', async () => {
    const reg = new FakeRegistry();
    reg.seed(NODES, { metadata: { name: 'a' }, spec: {} });
    reg.seed(DAEMONSETS, { metadata: { name: 'd', namespace: 'ns', generation: 1 }, spec: { minReadySeconds: 0, selector: { matchLabels: { app: 'x' } }, template: { ...tmpl, spec: { containers: tmpl.spec.containers } } } });
    expect(await syncDaemonSet(reg, 'ns/d', T0, log)).toBeUndefined();
    reg.seed(DAEMONSETS, { ...reg.peek(DAEMONSETS, 'ns', 'd')!, spec: { ...reg.peek(DAEMONSETS, 'ns', 'd')!.spec, minReadySeconds: 5 } });
    expect(await syncDaemonSet(reg, 'ns/d', T0, log)).toBe(1000);
  });
});

describe('statefulset sync', () => {
  it('creates the claim before the pod, one ordinal at a time', async () => {
    const reg = new FakeRegistry();
    reg.seed(STATEFULSETS, {
      metadata: { name: 's', namespace: 'ns', generation: 1 },
      spec: {
        replicas: 2, serviceName: 's', podManagementPolicy: 'OrderedReady', selector: { matchLabels: { app: 'x' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        template: { ...tmpl, spec: { containers: tmpl.spec.containers } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    });
    await syncStatefulSet(reg, 'ns/s', T0, log);
    expect(reg.all(PODS, 'ns').map((p) => p.metadata.name)).toEqual(['s-0']);
    expect(reg.all(PVCS, 'ns').map((p) => p.metadata.name)).toEqual(['data-s-0']);
    const creates = reg.calls.filter((c) => c.startsWith('create'));
    expect(creates.findIndex((c) => c.includes('persistentvolumeclaims'))).toBeLessThan(creates.findIndex((c) => c.includes('pods')));
    expect(reg.peek(STATEFULSETS, 'ns', 's')!.status).toMatchObject({ replicas: 0, observedGeneration: 1 });
  });
});
