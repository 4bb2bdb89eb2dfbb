import { describe, expect, it } from 'vitest';
import { claimsFor, claimsToRelease, planStatefulSet } from '../../../../apiserver/controllers/statefulset-plan.js';
import { statefulPod } from '../../../../apiserver/controllers/statefulset-controller.js';
import { localPvFor, volumeNodeTerms } from '../../../../apiserver/controllers/local-provisioner.js';
import type { KubeObject } from '../../../../api/types.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const REV = { current: 'web-a', update: 'web-a' };

function sts(spec: Record<string, any> = {}): KubeObject {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'su', generation: 1 },
    spec: {
      replicas: 3,
      serviceName: 'web',
      podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: { app: 'web' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...spec,
    },
  };
}

function pod(s: KubeObject, ordinal: number, opts: { ready?: boolean; rev?: string; deleting?: boolean; phase?: string } = {}): KubeObject {
  const p = statefulPod(s, ordinal, s.spec.template, opts.rev ?? REV.update);
  p.status = { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] };
  if (opts.deleting) p.metadata.deletionTimestamp = new Date(T0).toISOString();
  return p;
}
const created = (p: { create: { ordinal: number }[] }) => p.create.map((c) => c.ordinal);

describe('planStatefulSet', () => {
  it('OrderedReady: creates ordinals one at a time, each after the previous is Ready', () => {
    const s = sts();
    expect(created(planStatefulSet(s, [], REV, T0))).toEqual([0]);
    expect(created(planStatefulSet(s, [pod(s, 0, { ready: false })], REV, T0))).toEqual([]);
    expect(created(planStatefulSet(s, [pod(s, 0)], REV, T0))).toEqual([1]);
    // a gap is filled first, lowest ordinal
    expect(created(planStatefulSet(s, [pod(s, 0), pod(s, 2)], REV, T0))).toEqual([1]);
  });

  it('Parallel: creates every missing ordinal at once', () => {
    expect(created(planStatefulSet(sts({ podManagementPolicy: 'Parallel' }), [], REV, T0))).toEqual([0, 1, 2]);
  });

  it('scales down from the highest ordinal, one at a time, waiting while one terminates', () => {
    const s = sts({ replicas: 1 });
    const pods = [pod(s, 0), pod(s, 1), pod(s, 2)];
    expect(planStatefulSet(s, pods, REV, T0).delete).toEqual(['web-2']);
    expect(planStatefulSet(s, [pods[0], pods[1], pod(s, 2, { deleting: true })], REV, T0).delete).toEqual([]);
    // not while a remaining pod is unhealthy
    expect(planStatefulSet(s, [pod(s, 0, { ready: false }), pods[1]], REV, T0).delete).toEqual([]);
    expect(planStatefulSet(sts({ replicas: 1, podManagementPolicy: 'Parallel' }), pods, REV, T0).delete.sort()).toEqual(['web-1', 'web-2']);
  });

  it('RollingUpdate: replaces from the highest ordinal down to the partition; pods below stay current', () => {
    const s = sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
    const rev = { current: 'web-a', update: 'web-b' };
    const old = [0, 1, 2].map((o) => pod(s, o, { rev: 'web-a' }));
    expect(planStatefulSet(s, old, rev, T0).delete).toEqual(['web-2']);
    const step2 = [old[0], old[1], pod(s, 2, { rev: 'web-b' })];
    expect(planStatefulSet(s, step2, rev, T0).delete).toEqual(['web-1']);
    const done = [old[0], pod(s, 1, { rev: 'web-b' }), pod(s, 2, { rev: 'web-b' })];
    const p = planStatefulSet(s, done, rev, T0);
    expect(p.delete).toEqual([]);
    expect(p.status).toMatchObject({ replicas: 3, readyReplicas: 3, updatedReplicas: 2, currentReplicas: 1, currentRevision: 'web-a', updateRevision: 'web-b' });
    // a recreated pod below the partition comes back at the current revision
    expect(planStatefulSet(s, [old[1], pod(s, 2, { rev: 'web-b' })], rev, T0).create).toEqual([{ ordinal: 0, revision: 'web-a' }]);
    // OnDelete never deletes for an update
    expect(planStatefulSet(sts({ updateStrategy: { type: 'OnDelete' } }), old, rev, T0).delete).toEqual([]);
  });

  it('replaces a failed pod', () => {
    const s = sts({ replicas: 1 });
    expect(planStatefulSet(s, [pod(s, 0, { phase: 'Failed' })], REV, T0).delete).toEqual(['web-0']);
  });
});

describe('stateful pods and claims', () => {
  it('whenScaled Delete releases claims of ordinals scaled away once their pod is gone; Retain keeps them', () => {
    const claims = ['data-web-0', 'data-web-1', 'data-web-2', 'data-web-x', 'other-web-2'];
    const del = sts({ replicas: 1, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
    expect(claimsToRelease(del, [pod(del, 0), pod(del, 2, { deleting: true })], claims)).toEqual(['data-web-1']);
    expect(claimsToRelease(sts({ replicas: 1 }), [pod(del, 0)], claims)).toEqual([]);
  });

  it('names the pod, sets hostname/subdomain and mounts the claim <template>-<sts>-<ordinal>', () => {
    const s = sts();
    const p = statefulPod(s, 1, s.spec.template, 'web-a');
    expect(p.metadata.name).toBe('web-1');
    expect(p.spec).toMatchObject({ hostname: 'web-1', subdomain: 'web' });
    expect(p.spec.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } }]);
    expect(p.metadata.labels).toMatchObject({ 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': 'web-a' });
    const [claim] = claimsFor(s, 1);
    expect(claim.metadata).toMatchObject({ name: 'data-web-1', namespace: 'ns', labels: { app: 'web' } });
    expect(claim.metadata.ownerReferences).toBeUndefined(); // Retain by default
  });

  it('a local PV is pinned to its node and pods of its claim are pinned there too', () => {
    const pvc = { metadata: { name: 'data-web-0', namespace: 'ns', uid: 'cu' }, spec: { resources: { requests: { storage: '2Gi' } } } };
    const pv = localPvFor(pvc, 'n2');
    expect(pv.metadata.name).toBe('pvc-cu');
    expect(pv.spec).toMatchObject({ capacity: { storage: '2Gi' }, local: { path: 'local-volumes/ns/data-web-0' }, claimRef: { name: 'data-web-0', uid: 'cu' } });
    expect(volumeNodeTerms(undefined, [pv])).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }]);
    const podTerms = [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }];
    expect(volumeNodeTerms(podTerms, [pv])).toEqual([
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] },
    ]);
  });
});
