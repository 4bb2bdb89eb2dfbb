import { describe, expect, it } from 'vitest';
import {
  decodeProtobufObject,
  encodeProtobufObject,
  protobufKinds,
} from '../../../../../apiserver/http/protobuf/index.js';
import { ApiError } from '../../../../../lib/errors.js';
import type { KubeObject } from '../../../../../api/types.js';
import { envelope, len } from './wire.js';

const podSpec = {
  initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'] }],
  containers: [
    {
      name: 'app',
      image: 'nginx',
      workingDir: '/srv',
      ports: [{ name: 'http', containerPort: 80, hostPort: 8080, protocol: 'TCP', hostIP: '0.0.0.0' }],
      env: [
        { name: 'A', value: '1' },
        { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'pw', optional: true } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      ],
      envFrom: [{ prefix: 'C_', configMapRef: { name: 'cm' } }, { secretRef: { name: 's', optional: false } }],
      resources: { limits: { cpu: '1', memory: '128Mi' }, requests: { cpu: '100m' } },
      volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: true, subPath: 'x' }],
      livenessProbe: { exec: { command: ['cat', '/ok'] }, initialDelaySeconds: 3, failureThreshold: 2 },
      readinessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 2 },
      startupProbe: { grpc: { port: 9000 }, periodSeconds: 1 },
      lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { httpGet: { path: '/', port: 80, scheme: 'HTTP' } } },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'Always',
      securityContext: { privileged: false, runAsUser: 1000, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
      stdin: true,
      tty: true,
    },
  ],
  volumes: [
    { name: 'v', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
    { name: 'h', hostPath: { path: '/tmp', type: 'Directory' } },
    { name: 's', secret: { secretName: 's', defaultMode: 420, items: [{ key: 'a', path: 'b', mode: 256 }] } },
    { name: 'p', persistentVolumeClaim: { claimName: 'data' } },
    { name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { configMap: { name: 'cm' } }] } },
  ],
  restartPolicy: 'OnFailure',
  terminationGracePeriodSeconds: 0,
  activeDeadlineSeconds: 100,
  dnsPolicy: 'ClusterFirst',
  nodeSelector: { disk: 'ssd' },
  serviceAccountName: 'bot',
  automountServiceAccountToken: false,
  nodeName: 'node-1',
  hostNetwork: true,
  imagePullSecrets: [{ name: 'reg' }],
  hostname: 'h',
  subdomain: 'sub',
  tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
  hostAliases: [{ ip: '10.0.0.1', hostnames: ['a', 'b'] }],
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
      },
    },
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 10, podAffinityTerm: { labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' } },
      ],
    },
  },
  securityContext: { runAsNonRoot: true, fsGroup: 2000, supplementalGroups: [1, 2] },
  dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] },
  topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'x' } } }],
};

const samples: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'ns',
      uid: 'u1',
      creationTimestamp: '2024-05-01T10:20:30Z',
      deletionTimestamp: '2024-05-01T10:25:00Z',
      managedFields: [
        { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2024-05-01T10:20:30Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } },
      ],
    },
    spec: podSpec,
    status: { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], startTime: '2024-05-01T10:20:31Z', conditions: [{ type: 'Ready', status: 'True' }] },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', labels: { app: 'd' } },
    spec: {
      replicas: 3,
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['d'] }] },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' } },
      minReadySeconds: 5,
      paused: true,
    },
    status: { observedGeneration: 2, replicas: 3, conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2024-01-01T00:00:00Z' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'x' },
      ports: [{ name: 'h', port: 80, targetPort: 'http', nodePort: 30001, protocol: 'TCP', appProtocol: 'http' }],
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 100 } },
      externalTrafficPolicy: 'Local',
      internalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: false,
    },
    status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'c' },
    spec: {
      schedule: '0 * * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      suspend: false,
      successfulJobsHistoryLimit: 0,
      jobTemplate: {
        metadata: { labels: { a: 'b' } },
        spec: { backoffLimit: 2, completions: 1, parallelism: 1, ttlSecondsAfterFinished: 60, template: { spec: { containers: [{ name: 'c', image: 'i' }], restartPolicy: 'Never' } } },
      },
    },
    status: { lastScheduleTime: '2024-01-01T00:00:00Z' },
  },
  {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'sa', namespace: 'ns', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', blockOwnerDeletion: false }] },
    secrets: [{ name: 'tok' }],
    imagePullSecrets: [{ name: 'reg' }],
    automountServiceAccountToken: true,
  },
];

describe('protobuf round trip (encode → decode)', () => {
  for (const obj of samples) {
    it(`${obj.kind} survives unchanged`, () => {
      const buf = encodeProtobufObject(obj);
      expect(buf.subarray(0, 4)).toEqual(Buffer.from('k8s\0', 'latin1'));
      expect(decodeProtobufObject(buf)).toEqual(obj);
    });
  }

  it('covers the kinds kubectl create sends', () => {
    for (const k of ['v1/Namespace', 'v1/ConfigMap', 'v1/Secret', 'v1/Service', 'v1/ServiceAccount', 'apps/v1/Deployment', 'batch/v1/Job', 'batch/v1/CronJob']) {
      expect(protobufKinds()).toContain(k);
    }
  });
});

describe('protobuf errors', () => {
  const reason = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      return `${(e as ApiError).reason} ${(e as ApiError).code} ${(e as ApiError).message}`;
    }
    throw new Error('no error thrown');
  };

  it('rejects a body without the magic prefix', () => {
    expect(reason(() => decodeProtobufObject(Buffer.from('{"kind":"Pod"}')))).toMatch(/^BadRequest 400/);
    expect(reason(() => decodeProtobufObject(Buffer.from([0x6b, 0x38])))).toMatch(/^BadRequest/);
  });

  it('rejects garbage after the magic', () => {
    const garbage = Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]);
    expect(reason(() => decodeProtobufObject(garbage))).toMatch(/^BadRequest/);
  });

  it('rejects an envelope without a kind', () => {
    expect(reason(() => decodeProtobufObject(envelope('v1', '', [])))).toMatch(/^BadRequest/);
  });

  it('answers 415 for kinds it cannot decode', () => {
    const msg = reason(() => decodeProtobufObject(envelope('rbac.authorization.k8s.io/v1', 'Role', len(1, len(1, 'r')))));
    expect(msg).toBe('UnsupportedMediaType 415 protobuf bodies are not supported for rbac.authorization.k8s.io/v1 Role; send JSON');
  });

  it('rejects a malformed object inside a valid envelope', () => {
    expect(reason(() => decodeProtobufObject(envelope('v1', 'Namespace', [0x0a, 0x05, 0x01])))).toMatch(/^BadRequest/);
  });
});
