import { describe, expect, it } from 'vitest';
import { resourceForKind } from '../../../api/resources.js';
import { applyDefaults, validateCreate, validateUpdate } from '../../../api/validate.js';
import type { KubeObject } from '../../../api/types.js';
import { POD_UPDATE_FORBIDDEN } from '../../../api/validation/pod.js';

const GV: Record<string, string> = {
  Deployment: 'apps/v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', ControllerRevision: 'apps/v1',
  Job: 'batch/v1', CronJob: 'batch/v1', Lease: 'coordination.k8s.io/v1', EndpointSlice: 'discovery.k8s.io/v1',
  PodDisruptionBudget: 'policy/v1',
};
const ri = (kind: string) => resourceForKind(GV[kind] ?? 'v1', kind)!;

const obj = (kind: string, rest: Record<string, any>, meta: Record<string, any> = {}): KubeObject => {
  const namespaced = ri(kind).namespaced;
  return { apiVersion: GV[kind] ?? 'v1', kind, metadata: { name: 'x', ...(namespaced ? { namespace: 'default' } : {}), ...meta }, ...rest };
};
/** "field: message" lines, the way kubectl prints them. */
const errs = (o: KubeObject): string[] => validateCreate(ri(o.kind!), o).map((c) => `${c.field}: ${c.message}`);
const reasons = (o: KubeObject): string[] => validateCreate(ri(o.kind!), o).map((c) => `${c.field} ${c.reason}`);
const updErrs = (o: KubeObject, old: KubeObject): string[] => {
  applyDefaults(ri(o.kind!), old);
  applyDefaults(ri(o.kind!), o);
  return validateUpdate(ri(o.kind!), o, old).map((c) => `${c.field}: ${c.message}`);
};

const container = (over: Record<string, any> = {}) => ({ name: 'app', image: 'busybox', ...over });
const pod = (spec: Record<string, any> = {}, meta: Record<string, any> = {}) =>
  obj('Pod', { spec: { containers: [container()], ...spec } }, meta);
const template = (labels = { app: 'web' }, spec: Record<string, any> = {}) => ({
  metadata: { labels },
  spec: { containers: [container()], ...spec },
});
const deployment = (spec: Record<string, any> = {}) =>
  obj('Deployment', { spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...spec } });

describe('metadata', () => {
  it('accepts a valid pod', () => expect(errs(pod())).toEqual([]));

  it('requires a name', () => {
    expect(errs(pod({}, { name: undefined }))).toEqual(['metadata.name: Required value: name or generateName is required']);
  });

  it('rejects a name that is not a DNS subdomain, with the exact message', () => {
    expect(errs(pod({}, { name: 'Foo_bar' }))).toEqual([
      `metadata.name: Invalid value: "Foo_bar": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
  });

  it('Namespace names are DNS labels, Service names DNS-1035 labels', () => {
    expect(errs(obj('Namespace', {}, { name: 'a.b' }))[0]).toMatch(/^metadata\.name: Invalid value: "a\.b": a lowercase RFC 1123 label must consist/);
    // Services are stricter: DNS-1035, so a leading digit is refused
    expect(errs(obj('Service', { spec: { ports: [{ port: 80 }] } }, { name: '1web' }))).toEqual([
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
    expect(errs(obj('ConfigMap', {}, { name: 'a.b' }))).toEqual([]);
  });

  it('rejects too-long names', () => {
    expect(errs(obj('Namespace', {}, { name: 'a'.repeat(64) }))).toEqual([`metadata.name: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`]);
  });

  it('forbids a namespace on cluster-scoped kinds', () => {
    expect(errs(obj('Node', {}, { namespace: 'default' }))).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });

  it('checks label keys and values', () => {
    const e = errs(pod({}, { labels: { 'bad key': 'v', ok: 'bad value!', 'example.com/fine': 'yes' } }));
    expect(e).toHaveLength(2);
    expect(e[0]).toMatch(/^metadata\.labels: Invalid value: "bad key": name part must consist of alphanumeric characters/);
    expect(e[1]).toMatch(/^metadata\.labels: Invalid value: "bad value!": a valid label must be an empty string or consist of/);
    expect(errs(pod({}, { labels: { k: 'v'.repeat(64) } }))[0]).toMatch(/must be no more than 63 characters$/);
  });

  it('limits total annotation size', () => {
    expect(reasons(pod({}, { annotations: { big: 'x'.repeat(256 * 1024) } }))).toEqual(['metadata.annotations FieldValueTooLong']);
  });
});

describe('pod spec', () => {
  it('requires containers', () => {
    expect(errs(obj('Pod', { spec: {} }))).toEqual(['spec.containers: Required value']);
  });

  it('requires an image', () => {
    expect(errs(pod({ containers: [container({ image: '' })] }))).toEqual(['spec.containers[0].image: Required value']);
  });

  it('container names: DNS label, unique across init and app containers', () => {
    const e = errs(pod({ initContainers: [container()], containers: [container(), container({ name: 'Bad_Name' })] }));
    expect(e).toContain('spec.containers[0].name: Duplicate value: "app"');
    expect(e.some((m) => m.startsWith('spec.containers[1].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label'))).toBe(true);
  });

  it('restartPolicy and imagePullPolicy enums', () => {
    expect(errs(pod({ restartPolicy: 'Sometimes' }))).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
    expect(errs(pod({ containers: [container({ imagePullPolicy: 'Maybe' })] }))).toEqual([
      'spec.containers[0].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"',
    ]);
  });

  it('ports: range, protocol, IANA names, uniqueness', () => {
    const e = errs(pod({ containers: [container({ ports: [
      { containerPort: 70000, name: 'http' },
      { containerPort: 80, name: 'http', protocol: 'ICMP' },
      { containerPort: 81, name: 'this-name-is-too-long' },
    ] })] }));
    expect(e).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].name: Duplicate value: "http"',
      'spec.containers[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[2].name: Invalid value: "this-name-is-too-long": must be no more than 15 characters',
    ]);
  });

  it('env names and valueFrom sources', () => {
    const e = errs(pod({ containers: [container({ env: [
      { name: '1BAD', value: 'x' },
      { name: 'OK', valueFrom: {} },
      { name: 'TWO', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 's', key: 'k' } } },
      { name: 'my.env-name', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ] })] }));
    expect(e[0]).toMatch(/^spec\.containers\[0\]\.env\[0\]\.name: Invalid value: "1BAD": a valid environment variable name must consist of/);
    expect(e[1]).toBe('spec.containers[0].env[1].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`');
    expect(e[2]).toBe('spec.containers[0].env[2].valueFrom: Invalid value: "": may not have more than one field specified at a time');
    expect(e).toHaveLength(3);
  });

  it('volume mounts must name a volume; volumes unique with one source', () => {
    const e = errs(pod({
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }, { name: 'none' }, { name: 'two', emptyDir: {}, hostPath: { path: '/x' } }],
      containers: [container({ volumeMounts: [{ name: 'missing', mountPath: '/m' }, { name: 'data', mountPath: '/d' }] })],
    }));
    expect(e).toEqual([
      'spec.volumes[1].name: Duplicate value: "data"',
      'spec.volumes[2]: Required value: must specify a volume type',
      'spec.volumes[3].hostPath: Forbidden: may not specify more than 1 volume type',
      'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
    ]);
  });

  it('resources: valid quantities and requests ≤ limits', () => {
    expect(errs(pod({ containers: [container({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] }))).toEqual([
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]);
    expect(errs(pod({ containers: [container({ resources: { limits: { memory: 'lots' } } })] }))[0]).toMatch(
      /^spec\.containers\[0\]\.resources\.limits\[memory\]: Invalid value: "lots": quantities must match the regular expression/,
    );
    // defaulting copied the limit into requests, so both lists report it, as in Kubernetes
    expect(errs(pod({ containers: [container({ resources: { limits: { gpu: '1' } } })] }))).toEqual([
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]);
  });

  it('probes need exactly one handler and liveness successThreshold 1', () => {
    const e = errs(pod({ containers: [container({
      livenessProbe: { periodSeconds: 5 },
      readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } },
      startupProbe: { tcpSocket: { port: 80 }, successThreshold: 2 },
    })] }));
    expect(e).toEqual([
      'spec.containers[0].livenessProbe: Required value: must specify a handler type',
      'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1',
    ]);
  });

  it('grace period, deadline, host aliases, tolerations, node selector', () => {
    const e = errs(pod({
      terminationGracePeriodSeconds: -5,
      activeDeadlineSeconds: 0,
      hostAliases: [{ ip: 'not-an-ip', hostnames: ['a'] }],
      tolerations: [{ key: 'k', operator: 'Sometimes' }, { operator: 'Equal', value: 'v' }, { key: 'k', operator: 'Exists', value: 'v' }],
      nodeSelector: { 'bad key': 'x' },
    }));
    expect(e).toContain('spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0');
    expect(e).toContain('spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive');
    expect(e).toContain('spec.hostAliases[0].ip: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
    expect(e).toContain('spec.tolerations[0].operator: Unsupported value: "Sometimes": supported values: "Equal", "Exists"');
    expect(e).toContain('spec.tolerations[1].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"');
    expect(e).toContain("spec.tolerations[2].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'");
    expect(e.some((m) => m.startsWith('spec.nodeSelector: Invalid value: "bad key"'))).toBe(true);
  });
});

describe('pod update', () => {
  const old = () => pod({ tolerations: [{ key: 'a', operator: 'Exists' }], activeDeadlineSeconds: 100 });

  it('allows image changes, adding tolerations, lowering the deadline, binding a node', () => {
    const stored = old();
    applyDefaults(ri('Pod'), stored);
    const n = structuredClone(stored);
    n.spec.containers[0].image = 'busybox:2';
    n.spec.tolerations.push({ key: 'b', operator: 'Exists' });
    n.spec.activeDeadlineSeconds = 50;
    n.spec.nodeName = 'node1';
    expect(updErrs(n, old())).toEqual([]);
  });

  it('forbids other spec changes on field spec', () => {
    const n = old();
    n.spec.containers[0].command = ['sh'];
    expect(updErrs(n, old())).toEqual([`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`]);
    expect(POD_UPDATE_FORBIDDEN).toMatch(/^pod updates may not change fields other than `spec.containers\[\*\].image`/);
  });

  it('forbids moving a bound pod, raising the deadline, removing tolerations', () => {
    const bound = old();
    bound.spec.nodeName = 'n1';
    const moved = structuredClone(bound);
    moved.spec.nodeName = 'n2';
    expect(updErrs(moved, bound)).toEqual([`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`]);
    const n = old();
    n.spec.activeDeadlineSeconds = 200;
    n.spec.tolerations = [];
    expect(updErrs(n, old())).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value',
      'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
    ]);
  });

  it('an undefaulted PUT of the same pod is not a change', () => {
    const stored = old();
    applyDefaults(ri('Pod'), stored);
    expect(validateUpdate(ri('Pod'), old(), stored)).toEqual([]);
  });
});

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
