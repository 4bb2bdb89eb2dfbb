import { describe, expect, it } from 'vitest';
import { applyServerSide, updateManagedFields } from '../../../../../apiserver/http/patch/index.js';
import type { KubeObject } from '../../../../../api/types.js';
import { ApiError } from '../../../../../lib/errors.js';

const DEP = 'apps/v1/Deployment';
const T0 = '2024-01-01T00:00:00Z';
const T1 = '2024-01-02T00:00:00Z';
const ssa = (manager = 'kubectl', force = false, now = T0) => ({ manager, force, kindKey: DEP, now, apiVersion: 'apps/v1' });

function config(image = 'nginx:1.25', extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image, ...extra }] },
      },
    },
  };
}

/** What the registry would store: server fields added to whatever apply produced. */
function stored(o: KubeObject, rv = '5'): KubeObject {
  return { ...o, metadata: { ...o.metadata, uid: 'u-1', resourceVersion: rv, creationTimestamp: T0, generation: 1 } };
}

describe('applyServerSide', () => {
  it('creates from the applied object and records an Apply entry in FieldsV1', () => {
    const out = applyServerSide(undefined, config(), ssa());
    expect(out.spec.template.spec.containers[0].image).toBe('nginx:1.25');
    expect(out.metadata.managedFields).toEqual([{
      manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
          },
        },
      },
    }]);
  });

  it('re-applying the same config is idempotent (only the timestamp moves)', () => {
    const live = stored(applyServerSide(undefined, config(), ssa()));
    const again = applyServerSide(live, config(), ssa('kubectl', false, T1));
    const { managedFields: mf1, ...meta1 } = live.metadata;
    const { managedFields: mf2, ...meta2 } = again.metadata;
    expect(meta2).toEqual(meta1);
    expect(again.spec).toEqual(live.spec);
    expect(mf2![0]!.fieldsV1).toEqual(mf1![0]!.fieldsV1);
    expect(mf2![0]!.time).toBe(T1);
  });

  it('keeps live fields nobody applied and merges keyed lists by key', () => {
    const live = stored(applyServerSide(undefined, config(), ssa()));
    live.spec.template.spec.containers.push({ name: 'side', image: 'busybox' });
    live.status = { replicas: 2 };
    const out = applyServerSide(live, config('nginx:1.27'), ssa());
    expect(out.spec.template.spec.containers).toEqual([{ name: 'web', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }]);
    expect(out.status).toEqual({ replicas: 2 });
    expect(out.metadata.uid).toBe('u-1');
    expect(out.metadata.resourceVersion).toBe('5');
  });

  it('conflicts with another manager that owns a changed field, then force takes it over', () => {
    // Created by client-side apply (an Update manager), then SSA tries to change replicas.
    const created = stored(config());
    updateManagedFields(undefined, created, { manager: 'kubectl-client-side-apply', operation: 'Update', kindKey: DEP, now: T0, apiVersion: 'apps/v1' });
    const wanted = config();
    wanted.spec.replicas = 3;

    let err: unknown;
    try {
      applyServerSide(created, wanted, ssa());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    const apiErr = err as ApiError;
    expect(apiErr.reason).toBe('Conflict');
    expect(apiErr.code).toBe(409);
    expect(apiErr.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(apiErr.details?.causes).toEqual([{
      reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas',
    }]);

    const forced = applyServerSide(created, wanted, ssa('kubectl', true));
    expect(forced.spec.replicas).toBe(3);
    const byName = Object.fromEntries(forced.metadata.managedFields!.map((e) => [e.manager, e]));
    expect((byName['kubectl-client-side-apply']!.fieldsV1 as any)['f:spec']['f:replicas']).toBeUndefined();
    expect((byName['kubectl']!.fieldsV1 as any)['f:spec']['f:replicas']).toEqual({});
    // Unchanged shared fields stay co-owned.
    expect((byName['kubectl-client-side-apply']!.fieldsV1 as any)['f:spec']['f:template']).toBeDefined();
  });

  it('lists every conflicting field in the multi-conflict message shape', () => {
    const created = stored(config());
    updateManagedFields(undefined, created, { manager: 'other', operation: 'Update', kindKey: DEP, now: T0, apiVersion: 'apps/v1' });
    const wanted = config('nginx:2');
    wanted.spec.replicas = 9;
    expect(() => applyServerSide(created, wanted, ssa())).toThrow(
      'Apply failed with 2 conflicts: conflicts with "other" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
  });

  it('removes fields the manager applied before and drops now', () => {
    const first = config('nginx:1.25', { args: ['-v'] });
    first.metadata.labels = { app: 'web', tier: 'front' };
    first.spec.template.spec.containers.push({ name: 'side', image: 'busybox' });
    const live = stored(applyServerSide(undefined, first, ssa()));
    const out = applyServerSide(live, config(), ssa());
    expect(out.metadata.labels).toEqual({ app: 'web' });
    expect(out.spec.template.spec.containers).toEqual([{ name: 'web', image: 'nginx:1.25' }]);
    expect(JSON.stringify(out.metadata.managedFields)).not.toMatch(/side|args|tier/);
  });

  it('does not remove a dropped field another manager also owns', () => {
    const first = config();
    first.metadata.labels = { app: 'web', tier: 'front' };
    const live = stored(applyServerSide(undefined, first, ssa()));
    const labelled = structuredClone(live);
    labelled.metadata.labels = { app: 'web', tier: 'back' };
    updateManagedFields(live, labelled, { manager: 'kubectl-label', operation: 'Update', kindKey: DEP, now: T1, apiVersion: 'apps/v1' });
    const out = applyServerSide(labelled, config(), ssa());
    expect(out.metadata.labels).toEqual({ app: 'web', tier: 'back' });
  });

  it('kubectl-last-applied merges only the annotation, never conflicting', () => {
    const created = stored(config());
    created.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":1}', keep: 'me' };
    updateManagedFields(undefined, created, { manager: 'kubectl-client-side-apply', operation: 'Update', kindKey: DEP, now: T0, apiVersion: 'apps/v1' });
    const out = applyServerSide(created, {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":1}' } },
    }, ssa('kubectl-last-applied'));
    expect(out.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/last-applied-configuration': '{"new":1}', keep: 'me' });
    expect(out.spec).toEqual(created.spec);
    const mine = out.metadata.managedFields!.find((e) => e.manager === 'kubectl-last-applied');
    expect(mine!.fieldsV1).toEqual({ 'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } } });
  });
});
