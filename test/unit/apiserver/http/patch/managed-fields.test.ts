import { describe, expect, it } from 'vitest';
import {
  applyStrategicMergePatch, fieldSetOf, fromFieldsV1, toFieldsV1, updateManagedFields,
} from '../../../../../apiserver/http/patch/index.js';
import { deployment } from './fixtures.js';

const DEP = 'apps/v1/Deployment';
const opts = (manager: string, now = '2024-01-01T00:00:00Z') =>
  ({ manager, operation: 'Update' as const, kindKey: DEP, now, apiVersion: 'apps/v1' });

describe('updateManagedFields', () => {
  it('records every tracked field on create in real FieldsV1 shape', () => {
    const d = deployment();
    updateManagedFields(undefined, d, opts('kubectl-client-side-apply'));
    expect(d.metadata.managedFields).toHaveLength(1);
    const [entry] = d.metadata.managedFields!;
    expect(entry).toMatchObject({
      manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1',
      time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1',
    });
    expect(entry!.fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:tier': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"side"}': { '.': {}, 'f:image': {}, 'f:name': {} },
              'k:{"name":"web"}': {
                '.': {},
                'f:args': {},
                'f:env': {
                  '.': {},
                  'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} },
                  'k:{"name":"B"}': { '.': {}, 'f:name': {}, 'f:value': {} },
                },
                'f:image': {},
                'f:name': {},
                'f:ports': {
                  '.': {},
                  'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
                },
              },
            },
          },
        },
      },
    });
    // status and server-owned metadata are never tracked on the main resource
    expect(JSON.stringify(entry!.fieldsV1)).not.toContain('f:status');
    expect(JSON.stringify(entry!.fieldsV1)).not.toContain('f:uid');
  });

  it('moves changed fields to the writer and merges repeated writes into one entry', () => {
    const d = deployment();
    updateManagedFields(undefined, d, opts('kubectl-client-side-apply'));
    const scaled = structuredClone(d);
    scaled.spec.replicas = 5;
    updateManagedFields(d, scaled, opts('kubectl-scale', '2024-01-02T00:00:00Z'));
    const byName = Object.fromEntries(scaled.metadata.managedFields!.map((e) => [e.manager, e]));
    expect(byName['kubectl-scale']!.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(byName['kubectl-scale']!.time).toBe('2024-01-02T00:00:00Z');
    expect((byName['kubectl-client-side-apply']!.fieldsV1 as any)['f:spec']['f:replicas']).toBeUndefined();

    const again = structuredClone(scaled);
    again.metadata.labels = { ...again.metadata.labels, extra: 'y' };
    updateManagedFields(scaled, again, opts('kubectl-scale', '2024-01-03T00:00:00Z'));
    const scale = again.metadata.managedFields!.filter((e) => e.manager === 'kubectl-scale');
    expect(scale).toHaveLength(1);
    expect(scale[0]!.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:extra': {} } }, 'f:spec': { 'f:replicas': {} } });
  });

  it('drops removed fields from every manager (deleting a container)', () => {
    const d = deployment();
    updateManagedFields(undefined, d, opts('creator'));
    const patched = applyStrategicMergePatch(d, { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } }, DEP);
    updateManagedFields(d, patched, opts('editor'));
    expect(JSON.stringify(patched.metadata.managedFields)).not.toContain('side');
    expect(patched.metadata.managedFields!.map((e) => e.manager)).toEqual(['creator']);
  });

  it('tracks only status for the status subresource', () => {
    const d = deployment();
    const updated = structuredClone(d);
    updated.status = { replicas: 2, readyReplicas: 2 };
    updated.spec.replicas = 7; // ignored: not this subresource's business
    updateManagedFields(d, updated, { ...opts('kube-controller-manager'), subresource: 'status' });
    expect(updated.metadata.managedFields).toEqual([{
      manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', time: '2024-01-01T00:00:00Z',
      fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:readyReplicas': {} } }, subresource: 'status',
    }]);
  });
});

describe('FieldsV1 round trip', () => {
  it('parses what it writes', () => {
    const set = fieldSetOf({ metadata: { finalizers: ['a'] }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'x' }] } } } }, DEP);
    const tree = toFieldsV1(set);
    expect(tree).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"a"': {} } },
      'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
    });
    expect(fromFieldsV1(tree)).toEqual(set);
  });
});
