import { describe, expect, it } from 'vitest';
import { applyDefaults, validateCreate, validateUpdate } from '../../../api/validate.js';
import type { KubeObject } from '../../../api/types.js';
import { POD_UPDATE_FORBIDDEN } from '../../../api/validation/pod.js';
import { GV, container, deployment, errs, obj, pod, reasons, ri, template, updErrs } from './validate-fixtures.js';

describe('services', () => {
  const svc = (spec: Record<string, any>) => obj('Service', { spec });
  it('accepts a plain ClusterIP service', () => expect(errs(svc({ selector: { app: 'w' }, ports: [{ port: 80 }] }))).toEqual([]));

  it('requires ports unless headless or ExternalName', () => {
    expect(errs(svc({}))).toEqual(['spec.ports: Required value']);
    expect(errs(svc({ clusterIP: 'None' }))).toEqual([]);
    expect(errs(svc({ type: 'ExternalName', externalName: 'example.com' }))).toEqual([]);
    expect(errs(svc({ type: 'ExternalName' }))).toEqual(['spec.externalName: Required value']);
  });

  it('needs port names when there are several; validates type, nodePort, affinity', () => {
    expect(errs(svc({ ports: [{ port: 80 }, { port: 81 }] }))).toEqual(['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']);
    expect(errs(svc({ type: 'Weird', ports: [{ port: 80 }] }))).toEqual([
      'spec.type: Unsupported value: "Weird": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
    expect(errs(svc({ ports: [{ port: 80, nodePort: 30080 }] }))).toEqual(["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
    expect(errs(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }))).toEqual([
      'spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ]);
    expect(errs(svc({ ports: [{ port: 0, targetPort: 'Bad_Name' }] }))).toEqual([
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: "Bad_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
    expect(errs(svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }))).toEqual([
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
    ]);
  });

  it('clusterIP is immutable once set', () => {
    const old = svc({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] });
    const changed = svc({ clusterIP: '10.96.0.11', ports: [{ port: 80 }] });
    expect(updErrs(changed, old)).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);
    expect(updErrs(svc({ ports: [{ port: 80 }] }), svc({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] }))).toEqual([]);
  });
});

describe('workloads', () => {
  it('accepts a valid deployment', () => expect(errs(deployment())).toEqual([]));

  it('requires a selector that matches the template labels', () => {
    expect(errs(deployment({ selector: undefined }))).toEqual(['spec.selector: Required value']);
    expect(errs(deployment({ selector: { matchLabels: { app: 'other' } } }))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('validates the template as a pod spec with template paths', () => {
    expect(errs(deployment({ template: template({ app: 'web' }, { containers: [container({ image: '' })] }) }))).toEqual([
      'spec.template.spec.containers[0].image: Required value',
    ]);
    expect(errs(deployment({ template: template({ app: 'web' }, { restartPolicy: 'Never' }) }))).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  it('replicas, strategy and rolling parameters', () => {
    expect(errs(deployment({ replicas: -1 }))).toEqual(['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
    expect(errs(deployment({ strategy: { type: 'Blue' } }))).toEqual([
      'spec.strategy.type: Unsupported value: "Blue": supported values: "Recreate", "RollingUpdate"',
    ]);
    expect(errs(deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } }))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
    expect(errs(deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'lots' } } }))[0]).toMatch(
      /^spec\.strategy\.rollingUpdate\.maxSurge: Invalid value: "lots": a valid percent string must be/,
    );
    expect(errs(deployment({ revisionHistoryLimit: -2 }))).toEqual(['spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0']);
  });

  it('selector is immutable on update', () => {
    const old = deployment();
    const n = deployment({ selector: { matchLabels: { app: 'web', v: '2' } }, template: template({ app: 'web', v: '2' }) });
    expect(updErrs(n, old)).toEqual(['spec.selector: Invalid value: v1.LabelSelector{"matchLabels":{"app":"web","v":"2"}}: field is immutable']);
    const scaled = deployment({ replicas: 5 });
    expect(updErrs(scaled, deployment())).toEqual([]);
  });

  it('StatefulSet spec outside the mutable set is frozen', () => {
    const sts = (spec: Record<string, any>) => obj('StatefulSet', { spec: { selector: { matchLabels: { app: 'web' } }, template: template(), serviceName: 's', ...spec } });
    expect(updErrs(sts({ replicas: 3 }), sts({}))).toEqual([]);
    expect(updErrs(sts({ serviceName: 'other' }), sts({}))[0]).toMatch(/^spec: Forbidden: updates to statefulset spec for fields other than 'replicas'/);
  });
});

describe('batch', () => {
  const job = (spec: Record<string, any> = {}) => obj('Job', { spec: { template: template({ app: 'j' }, { restartPolicy: 'Never' }), ...spec } });
  it('accepts a job without selector; requires OnFailure/Never', () => {
    expect(errs(job())).toEqual([]);
    expect(errs(job({ template: template({ app: 'j' }) }))).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
    expect(errs(job({ parallelism: -1, completionMode: 'Sometimes' }))).toEqual([
      'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
    ]);
  });

  it('cron jobs: schedule syntax, policy, nested job template paths', () => {
    const cj = (spec: Record<string, any>) => obj('CronJob', { spec: { jobTemplate: { spec: { template: template({ app: 'c' }, { restartPolicy: 'OnFailure' }) } }, ...spec } });
    expect(errs(cj({ schedule: '*/5 * * * *' }))).toEqual([]);
    expect(errs(cj({ schedule: '@hourly', timeZone: 'Europe/Paris' }))).toEqual([]);
    expect(errs(cj({}))).toEqual(['spec.schedule: Required value']);
    expect(errs(cj({ schedule: '* * *' }))[0]).toMatch(/^spec\.schedule: Invalid value: "\* \* \*": expected exactly 5 fields, found 3/);
    expect(errs(cj({ schedule: '@daily', concurrencyPolicy: 'Sometimes', timeZone: 'Mars/Olympus' }))).toEqual([
      'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
      'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ]);
    const bad = cj({ schedule: '@daily' });
    bad.spec.jobTemplate.spec.template.spec.containers[0].image = '';
    expect(errs(bad)).toEqual(['spec.jobTemplate.spec.template.spec.containers[0].image: Required value']);
  });
});

describe('what kubectl sends', () => {
  it('kubectl create deployment / run bodies validate clean after defaulting', () => {
    const d: KubeObject = {
      kind: 'Deployment', apiVersion: 'apps/v1',
      metadata: { name: 'web', namespace: 'default', creationTimestamp: null, labels: { app: 'web' } },
      spec: {
        replicas: 1, selector: { matchLabels: { app: 'web' } }, strategy: {},
        template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } },
      },
      status: {},
    };
    applyDefaults(ri('Deployment'), d);
    expect(errs(d)).toEqual([]);
    const p: KubeObject = {
      kind: 'Pod', apiVersion: 'v1',
      metadata: { name: 'bb', namespace: 'default', creationTimestamp: null, labels: { run: 'bb' } },
      spec: { containers: [{ name: 'bb', image: '127.0.0.1:5000/busybox', args: ['sleep', '3600'], resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' },
      status: {},
    };
    applyDefaults(ri('Pod'), p);
    expect(p.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(errs(p)).toEqual([]);
  });
});

describe('config and others', () => {
  it('ConfigMap keys and duplicates', () => {
    expect(errs(obj('ConfigMap', { data: { 'bad/key': 'x', a: '1' }, binaryData: { a: 'AA==' } }))).toEqual([
      `data[bad/key]: Invalid value: "bad/key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      'data[a]: Invalid value: "a": duplicate of key present in binaryData',
    ]);
  });

  it('typed secrets need their keys; immutable data is frozen', () => {
    expect(errs(obj('Secret', { type: 'kubernetes.io/dockerconfigjson', data: {} }))).toEqual(['data[.dockerconfigjson]: Required value']);
    const old = obj('Secret', { immutable: true, data: { a: 'MQ==' } });
    const n = obj('Secret', { immutable: true, data: { a: 'Mg==' } });
    expect(updErrs(n, old)).toEqual(['data: Forbidden: field is immutable when `immutable` is set']);
  });

  it('EndpointSlice addressType, Event involvedObject, PVC access modes', () => {
    expect(errs(obj('EndpointSlice', { endpoints: [] }))).toEqual(['addressType: Required value']);
    expect(errs(obj('EndpointSlice', { addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.300'] }] }))).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "10.0.0.300": must be a valid IPv4 address',
    ]);
    expect(errs(obj('Event', {}))).toEqual(['involvedObject: Required value']);
    expect(errs(obj('PersistentVolumeClaim', { spec: { resources: { requests: { storage: '1Gi' } } } }))).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required',
    ]);
  });

  it('every kind in RESOURCES validates a minimal valid object', async () => {
    const { RESOURCES } = await import('../../../api/resources.js');
    for (const r of RESOURCES) expect(typeof validateCreate(r, obj(r.kind, {}))).toBe('object');
  });
});

