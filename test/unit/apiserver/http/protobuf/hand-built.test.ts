// Bodies written byte by byte from the wire format and the field numbers of k8s.io/api's
// generated.proto, so a wrong number in our transcription fails here.
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../../../../../apiserver/http/protobuf/index.js';
import { envelope, len, mapEntry, num } from './wire.js';

describe('decodeProtobufObject on hand-built bytes', () => {
  it('decodes a Namespace with full metadata', () => {
    const time = [...num(1, 1700000000), ...num(2, 0)];
    const owner = [...len(5, 'v1'), ...len(1, 'Thing'), ...len(3, 'parent'), ...len(4, 'uid-p'), ...num(6, true)];
    const meta = [
      ...len(1, 'team-a'),
      ...len(2, 'team-'),
      ...len(4, '/api/v1/namespaces/team-a'),
      ...len(5, 'abc-123'),
      ...len(6, '42'),
      ...num(7, 3),
      ...len(8, time),
      ...num(10, 30),
      ...mapEntry(11, 'env', 'prod'),
      ...mapEntry(11, 'tier', 'web'),
      ...mapEntry(12, 'note', 'hi'),
      ...len(13, owner),
      ...len(14, 'example.com/hold'),
    ];
    const raw = [...len(1, meta), ...len(2, len(1, 'kubernetes')), ...len(3, len(1, 'Active'))];
    expect(decodeProtobufObject(envelope('v1', 'Namespace', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'team-a',
        generateName: 'team-',
        selfLink: '/api/v1/namespaces/team-a',
        uid: 'abc-123',
        resourceVersion: '42',
        generation: 3,
        creationTimestamp: '2023-11-14T22:13:20Z',
        deletionGracePeriodSeconds: 30,
        labels: { env: 'prod', tier: 'web' },
        annotations: { note: 'hi' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Thing', name: 'parent', uid: 'uid-p', controller: true }],
        finalizers: ['example.com/hold'],
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  it('decodes a ConfigMap with data, binaryData and immutable', () => {
    const raw = [
      ...len(1, [...len(1, 'settings'), ...len(3, 'default')]),
      ...mapEntry(2, 'a', 'b'),
      ...mapEntry(2, 'empty', ''),
      ...mapEntry(3, 'blob', Buffer.from([0, 1, 2, 255])),
      ...num(4, false), // a pointer field: an explicit false must survive
    ];
    expect(decodeProtobufObject(envelope('v1', 'ConfigMap', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
      data: { a: 'b', empty: '' },
      binaryData: { blob: Buffer.from([0, 1, 2, 255]).toString('base64') },
      immutable: false,
    });
  });

  it('decodes Secret bytes as base64 and keeps type and stringData', () => {
    const raw = [
      ...len(1, len(1, 's')),
      ...mapEntry(2, 'password', 'hunter2'),
      ...len(3, 'Opaque'),
      ...mapEntry(4, 'user', 'admin'),
    ];
    expect(decodeProtobufObject(envelope('v1', 'Secret', raw))).toMatchObject({
      data: { password: Buffer.from('hunter2').toString('base64') },
      type: 'Opaque',
      stringData: { user: 'admin' },
    });
  });

  it('decodes a Deployment: pointer zero replicas, int-or-string, quantities, inline fields', () => {
    const quantity = (s: string) => len(1, s);
    const container = [
      ...len(1, 'app'),
      ...len(2, 'nginx:1.25'),
      ...len(4, '--port=80'),
      ...len(6, [...len(1, 'http'), ...num(3, 80), ...len(4, 'TCP')]),
      ...len(7, [...len(1, 'MODE'), ...len(3, len(3, [...len(1, len(1, 'cfg')), ...len(2, 'mode')]))]),
      ...len(8, [...mapEntry(1, 'cpu', quantity('500m')), ...mapEntry(2, 'memory', quantity('64Mi'))]),
      ...len(9, [...len(1, 'data'), ...len(3, '/data')]),
      ...len(11, [...len(1, len(2, [...len(1, '/healthz'), ...len(2, [...num(1, 1), ...len(3, 'http')])])), ...num(4, 5)]),
      ...len(14, 'IfNotPresent'),
      ...len(15, num(4, 0)), // runAsUser: 0 is a pointer, must be kept
    ];
    const podSpec = [
      ...len(1, [...len(1, 'data'), ...len(2, len(2, []))]), // emptyDir: {}
      ...len(1, [...len(1, 'cfg'), ...len(2, len(19, len(1, len(1, 'cfg'))))]),
      ...len(2, container),
      ...len(3, 'Always'),
      ...num(4, 10),
      ...len(22, [...len(1, 'dedicated'), ...len(2, 'Equal'), ...len(3, 'x'), ...len(4, 'NoSchedule')]),
    ];
    const spec = [
      ...num(1, 0),
      ...len(2, mapEntry(1, 'app', 'web')),
      ...len(3, [...len(1, mapEntry(11, 'app', 'web')), ...len(2, podSpec)]),
      ...len(4, [...len(1, 'RollingUpdate'), ...len(2, [...len(1, [...num(1, 0), ...num(2, 0)]), ...len(2, [...num(1, 1), ...len(3, '25%')])])]),
      ...num(6, 5),
      ...num(9, 600),
    ];
    const obj = decodeProtobufObject(envelope('apps/v1', 'Deployment', [...len(1, len(1, 'web')), ...len(2, spec)]));
    expect(obj.spec).toEqual({
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          volumes: [
            { name: 'data', emptyDir: {} },
            { name: 'cfg', configMap: { name: 'cfg' } },
          ],
          containers: [
            {
              name: 'app',
              image: 'nginx:1.25',
              args: ['--port=80'],
              ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
              env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } }],
              resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } },
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
              imagePullPolicy: 'IfNotPresent',
              securityContext: { runAsUser: 0 },
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 10,
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'x', effect: 'NoSchedule' }],
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      revisionHistoryLimit: 5,
      progressDeadlineSeconds: 600,
    });
  });

  it('drops zero scalars that gogo-protobuf always writes', () => {
    // kubectl writes every non-pointer field; these zeros must not show up as fields
    const meta = [...len(1, 'x'), ...len(2, ''), ...len(3, ''), ...num(7, 0), ...len(8, [])];
    const obj = decodeProtobufObject(envelope('v1', 'ServiceAccount', [...len(1, meta)]));
    expect(obj).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x' } });
  });
});
