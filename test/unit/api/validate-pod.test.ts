import { describe, expect, it } from 'vitest';
import { applyDefaults, validateCreate, validateUpdate } from '../../../api/validate.js';
import type { KubeObject } from '../../../api/types.js';
import { POD_UPDATE_FORBIDDEN } from '../../../api/validation/pod.js';
import { GV, container, deployment, errs, obj, pod, reasons, ri, template, updErrs } from './validate-fixtures.js';

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

  it('probes and hooks: every handler kind, header names, probe grace, sleep seconds', () => {
    const ok = errs(pod({ terminationGracePeriodSeconds: 30, containers: [container({
      ports: [{ name: 'http', containerPort: 8080 }],
      livenessProbe: { grpc: { port: 9090 }, terminationGracePeriodSeconds: 5, initialDelaySeconds: 3, periodSeconds: 1, timeoutSeconds: 2, failureThreshold: 1 },
      readinessProbe: { httpGet: { port: 'http', path: '/ready', scheme: 'HTTPS', httpHeaders: [{ name: 'X-Probe', value: 'a' }] }, successThreshold: 2 },
      startupProbe: { tcpSocket: { port: 8080 }, failureThreshold: 30 },
      lifecycle: { postStart: { httpGet: { port: 8080 } }, preStop: { sleep: { seconds: 5 } } },
    })] }));
    expect(ok).toEqual([]);
    const e = errs(pod({ containers: [container({
      livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 0 },
      readinessProbe: { httpGet: { port: 80, httpHeaders: [{ name: 'Bad Header', value: 'x' }] } },
      lifecycle: { preStop: { sleep: { seconds: 0 } }, postStart: { exec: { command: [] } } },
    })] }));
    expect(e).toEqual([
      'spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0',
      'spec.containers[0].readinessProbe.httpGet.httpHeaders[0].name: Invalid value: "Bad Header": a valid HTTP header must consist of alphanumeric characters or \'-\' (e.g. \'X-Header-Name\', regex used for validation is \'[-A-Za-z0-9]+\')',
      'spec.containers[0].lifecycle.postStart.exec.command: Required value',
      'spec.containers[0].lifecycle.preStop.sleep.seconds: Invalid value: 0: must be greater than 0',
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

