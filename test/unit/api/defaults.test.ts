import { describe, expect, it } from 'vitest';
import { resourceForKind } from '../../../api/resources.js';
import { applyDefaults } from '../../../api/validate.js';
import { defaultImagePullPolicy } from '../../../api/defaults/pod.js';
import { computeQosClass } from '../../../api/pod-qos.js';
import type { KubeObject } from '../../../api/types.js';

const ri = (apiVersion: string, kind: string) => resourceForKind(apiVersion, kind)!;
const defaulted = (apiVersion: string, kind: string, obj: Omit<KubeObject, 'metadata'> & { metadata?: any }): KubeObject => {
  const o = { metadata: { name: 'x', namespace: 'default' }, ...obj } as KubeObject;
  applyDefaults(ri(apiVersion, kind), o);
  return o;
};

describe('imagePullPolicy default', () => {
  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['busybox:1.36', 'IfNotPresent'],
    ['busybox@sha256:abcd', 'IfNotPresent'],
    ['busybox:latest@sha256:abcd', 'Always'],
    ['127.0.0.1:5000/busybox', 'Always'],
    ['127.0.0.1:5000/busybox:1.0', 'IfNotPresent'],
    ['localhost:5000/team/app:latest', 'Always'],
    ['registry.example.com/app@sha256:ff', 'IfNotPresent'],
  ])('%s → %s', (image, policy) => {
    expect(defaultImagePullPolicy(image)).toBe(policy);
  });
});

describe('pod defaults', () => {
  const pod = defaulted('v1', 'Pod', {
    spec: {
      containers: [
        {
          name: 'app',
          image: 'busybox:1.36',
          ports: [{ containerPort: 80 }],
          readinessProbe: { httpGet: { port: 80 } },
          livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
        },
      ],
      volumes: [{ name: 'cfg', configMap: { name: 'c' } }],
    },
  });

  it('fills pod spec defaults like Kubernetes', () => {
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
      serviceAccountName: 'default',
      serviceAccount: 'default',
      priority: 0,
    });
    expect(pod.spec.volumes[0].configMap.defaultMode).toBe(420);
  });

  it('fills container defaults', () => {
    const c = pod.spec.containers[0];
    expect(c).toMatchObject({
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
      resources: {},
    });
    expect(c.ports[0].protocol).toBe('TCP');
    expect(c.readinessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(c.livenessProbe.periodSeconds).toBe(5);
  });

  it('sets status phase and QoS at create', () => {
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('copies limits into missing requests, making the pod Guaranteed', () => {
    const p = defaulted('v1', 'Pod', {
      spec: { containers: [{ name: 'a', image: 'i', resources: { limits: { cpu: '500m', memory: '64Mi' } } }] },
    });
    expect(p.spec.containers[0].resources.requests).toEqual({ cpu: '500m', memory: '64Mi' });
    expect(p.status.qosClass).toBe('Guaranteed');
  });

  it('is idempotent', () => {
    const again = structuredClone(pod);
    applyDefaults(ri('v1', 'Pod'), again);
    expect(again).toEqual(pod);
  });
});

describe('QoS class', () => {
  const spec = (...res: any[]) => ({ containers: res.map((r, i) => ({ name: `c${i}`, image: 'i', resources: r })) });
  it('classifies', () => {
    expect(computeQosClass(spec({}))).toBe('BestEffort');
    expect(computeQosClass(spec({ requests: { cpu: '100m' } }))).toBe('Burstable');
    expect(computeQosClass(spec({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }))).toBe('Guaranteed');
    expect(computeQosClass(spec({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, {}))).toBe('Burstable');
    expect(computeQosClass(spec({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }))).toBe('Burstable');
  });
});

describe('workload defaults', () => {
  const template = { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'a', image: 'nginx' }] } };

  it('Deployment as apps/v1', () => {
    const d = defaulted('apps/v1', 'Deployment', { spec: { selector: { matchLabels: { app: 'w' } }, template: structuredClone(template) } });
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' });
    expect(d.spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    // admission-only pod defaults do not land in templates
    expect(d.spec.template.spec.serviceAccountName).toBeUndefined();
  });

  it('Recreate keeps no rollingUpdate', () => {
    const d = defaulted('apps/v1', 'Deployment', { spec: { strategy: { type: 'Recreate' }, template: structuredClone(template) } });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('StatefulSet and DaemonSet', () => {
    const s = defaulted('apps/v1', 'StatefulSet', { spec: { template: structuredClone(template) } });
    expect(s.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
    });
    const ds = defaulted('apps/v1', 'DaemonSet', { spec: { template: structuredClone(template) } });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  });

  it('Job and CronJob', () => {
    const j = defaulted('batch/v1', 'Job', { spec: { template: structuredClone(template) } });
    expect(j.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false });
    const j2 = defaulted('batch/v1', 'Job', { spec: { parallelism: 3, template: structuredClone(template) } });
    expect(j2.spec.completions).toBeUndefined();
    const cj = defaulted('batch/v1', 'CronJob', { spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: structuredClone(template) } } } });
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cj.spec.jobTemplate.spec.template.spec.dnsPolicy).toBe('ClusterFirst');
  });
});

describe('service defaults', () => {
  it('ClusterIP service', () => {
    const s = defaulted('v1', 'Service', { spec: { selector: { app: 'w' }, ports: [{ port: 80 }, { port: 443, targetPort: 'https', name: 'b' }] } });
    expect(s.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
    expect(s.spec.ports[0]).toEqual({ port: 80, protocol: 'TCP', targetPort: 80 });
    expect(s.spec.ports[1].targetPort).toBe('https');
    expect(s.spec.externalTrafficPolicy).toBeUndefined();
  });

  it('NodePort gets externalTrafficPolicy; ClientIP gets a timeout', () => {
    const s = defaulted('v1', 'Service', { spec: { type: 'NodePort', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } });
    expect(s.spec.externalTrafficPolicy).toBe('Cluster');
    expect(s.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });
});

describe('config and namespace defaults', () => {
  it('Secret merges stringData into data and drops it', () => {
    const s = defaulted('v1', 'Secret', { data: { a: 'b2xk' }, stringData: { a: 'new', b: 'x' } });
    expect(s.type).toBe('Opaque');
    expect(s.data).toEqual({ a: Buffer.from('new').toString('base64'), b: Buffer.from('x').toString('base64') });
    expect(s.stringData).toBeUndefined();
  });

  it('Namespace', () => {
    const ns = defaulted('v1', 'Namespace', { metadata: { name: 'team' } });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
  });
});
