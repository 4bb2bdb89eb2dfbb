import { describe, expect, it } from 'vitest';
import { expandCommand, resolveEnv, type EnvContext } from '../../../../agent/container-config/env.js';
import { EnvError } from '../../../../agent/container-config/errors.js';
import { cm, makeLookup, pod, secret, svc } from './fixtures.js';

const alloc = { cpu: 2, memory: 4 * 2 ** 30 };

function ctx(lookup = makeLookup(), extra: Partial<EnvContext> = {}): EnvContext {
  return { lookup, allocatable: alloc, podIp: '10.244.1.7', hostIp: '10.0.0.5', ...extra };
}

function envOf(p: ReturnType<typeof pod>, c: Record<string, unknown>, cx = ctx()): Record<string, string> {
  return Object.fromEntries(resolveEnv(p, { name: 'c', image: 'busybox', ...c }, cx).vars);
}

describe('resolveEnv ordering and precedence', () => {
  it('orders service links, then envFrom, then env; env overrides envFrom overrides services', () => {
    const lookup = makeLookup({
      configMaps: [cm('cfg', { FROM_CM: '1', SHARED: 'cm', DB_SERVICE_HOST: 'overridden' })],
      services: [svc('db', '10.96.0.20', [{ port: 5432 }])],
    });
    const { vars } = resolveEnv(pod({}), { name: 'c', envFrom: [{ configMapRef: { name: 'cfg' } }], env: [{ name: 'SHARED', value: 'env' }, { name: 'LAST', value: 'x' }] }, ctx(lookup));
    const names = vars.map(([k]) => k);
    expect(names.indexOf('DB_SERVICE_PORT')).toBeLessThan(names.indexOf('FROM_CM'));
    expect(names.slice(-2)).toEqual(['SHARED', 'LAST']);
    const env = Object.fromEntries(vars);
    expect(env.SHARED).toBe('env');
    expect(env.DB_SERVICE_HOST).toBe('overridden');
    expect(names.filter((n) => n === 'DB_SERVICE_HOST')).toHaveLength(1);
  });

  it('expands $(VAR) only against previously defined variables and services', () => {
    const lookup = makeLookup({ services: [svc('db', '10.96.0.20', [{ port: 5432 }])] });
    const env = envOf(pod({}), {
      env: [
        { name: 'A', value: 'a' },
        { name: 'B', value: '$(A)-$(C)-$(DB_SERVICE_HOST)' },
        { name: 'C', value: 'c' },
        { name: 'D', value: '$$(A)' },
      ],
    }, ctx(lookup));
    expect(env.B).toBe('a-$(C)-10.96.0.20');
    expect(env.D).toBe('$(A)');
  });

  it('expands command and args against the final environment', () => {
    const { vars } = resolveEnv(pod({}), { name: 'c', env: [{ name: 'MSG', value: 'hello' }] }, ctx());
    expect(expandCommand(['sh', '-c', 'echo $(MSG) $$(MSG) $(NONE)'], vars)).toEqual(['sh', '-c', 'echo hello $(MSG) $(NONE)']);
    expect(expandCommand(undefined, vars)).toBeUndefined();
  });
});

describe('service links', () => {
  const services = [
    svc('my-db', '10.96.0.20', [{ name: 'pg', port: 5432 }, { name: 'metrics', port: 9187, protocol: 'UDP' }]),
    svc('headless', 'None', [{ port: 80 }]),
    svc('kubernetes', '10.96.0.1', [{ name: 'https', port: 443 }], 'default'),
    svc('other-ns', '10.96.0.30', [{ port: 80 }], 'ns2'),
  ];

  it('produces the kubelet variable names', () => {
    const env = envOf(pod({}), {}, ctx(makeLookup({ services })));
    expect(env).toMatchObject({
      MY_DB_SERVICE_HOST: '10.96.0.20',
      MY_DB_SERVICE_PORT: '5432',
      MY_DB_SERVICE_PORT_PG: '5432',
      MY_DB_SERVICE_PORT_METRICS: '9187',
      MY_DB_PORT: 'tcp://10.96.0.20:5432',
      MY_DB_PORT_5432_TCP: 'tcp://10.96.0.20:5432',
      MY_DB_PORT_5432_TCP_PROTO: 'tcp',
      MY_DB_PORT_5432_TCP_PORT: '5432',
      MY_DB_PORT_5432_TCP_ADDR: '10.96.0.20',
      MY_DB_PORT_9187_UDP: 'udp://10.96.0.20:9187',
      MY_DB_PORT_9187_UDP_PROTO: 'udp',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
    });
    expect(Object.keys(env).some((k) => k.startsWith('HEADLESS'))).toBe(false);
    expect(Object.keys(env).some((k) => k.startsWith('OTHER_NS'))).toBe(false);
  });

  it('keeps only the kubernetes service when enableServiceLinks is false', () => {
    const env = envOf(pod({ enableServiceLinks: false }), {}, ctx(makeLookup({ services })));
    expect(env.KUBERNETES_SERVICE_HOST).toBe('10.96.0.1');
    expect(env.MY_DB_SERVICE_HOST).toBeUndefined();
  });
});

describe('envFrom', () => {
  it('applies prefixes, decodes secrets, skips invalid keys with a warning', () => {
    const lookup = makeLookup({ configMaps: [cm('cfg', { a: '1', 'bad key': 'x', '1x': 'y' })], secrets: [secret('sec', { token: 's3cret' })] });
    const r = resolveEnv(pod({}), { name: 'c', envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CM_' }, { secretRef: { name: 'sec' } }, { configMapRef: { name: 'cfg' } }] }, ctx(lookup));
    const env = Object.fromEntries(r.vars);
    expect(env).toMatchObject({ CM_a: '1', CM_1x: 'y', token: 's3cret', a: '1' });
    expect(env['1x']).toBeUndefined();
    expect(r.warnings).toEqual([
      'Keys [CM_bad key] from the EnvFrom configMap ns1/cfg were skipped since they are considered invalid environment variable names.',
      'Keys [1x, bad key] from the EnvFrom configMap ns1/cfg were skipped since they are considered invalid environment variable names.',
    ]);
  });

  it('ignores a missing optional source and fails on a missing required one', () => {
    expect(envOf(pod({}), { envFrom: [{ configMapRef: { name: 'gone', optional: true } }] })).toEqual({});
    expect(() => envOf(pod({}), { envFrom: [{ configMapRef: { name: 'gone' } }] })).toThrow(new EnvError('configmap "gone" not found'));
    expect(() => envOf(pod({}), { envFrom: [{ secretRef: { name: 'gone' } }] })).toThrow('secret "gone" not found');
  });
});

describe('valueFrom', () => {
  it('resolves every fieldRef', () => {
    const p = pod({}, {});
    const fields = ['metadata.name', 'metadata.namespace', 'metadata.uid', "metadata.labels['app']", "metadata.annotations['note']", "metadata.labels['none']", 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.podIP', 'status.podIPs'];
    const env = envOf(p, { env: fields.map((f, i) => ({ name: `F${i}`, valueFrom: { fieldRef: { fieldPath: f } } })) });
    expect(Object.values(env)).toEqual(['web', 'ns1', 'uid-1', 'web', 'hi "there"', '', 'node-a', 'default', '10.0.0.5', '10.244.1.7', '10.244.1.7']);
  });

  it('rejects an unsupported fieldPath', () => {
    expect(() => envOf(pod({}), { env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }] })).toThrow(EnvError);
  });

  it('resolves resourceFieldRef with divisors, defaulting limits to node allocatable', () => {
    const c = {
      resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '100m' } },
      env: [
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'CPU_M', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'REQ_MEM', valueFrom: { resourceFieldRef: { resource: 'requests.memory' } } },
      ],
    };
    expect(envOf(pod({}), c)).toEqual({ CPU: '1', CPU_M: '250', MEM_MI: '64', REQ_M: '100', REQ_MEM: '67108864' });
    const unlimited = envOf(pod({}), { env: [{ name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }, { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Gi' } } }] });
    expect(unlimited).toEqual({ CPU: '2', MEM: '4' });
  });

  it('resolves configMapKeyRef and secretKeyRef with optional semantics', () => {
    const lookup = makeLookup({ configMaps: [cm('cfg', { k: 'v' })], secrets: [secret('sec', { pw: 'hunter2' })] });
    const env = envOf(pod({}), {
      env: [
        { name: 'K', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'pw' } } },
        { name: 'OPT_KEY', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nope', optional: true } } },
        { name: 'OPT_SRC', valueFrom: { secretKeyRef: { name: 'gone', key: 'x', optional: true } } },
        { name: 'EMPTY', value: '' },
      ],
    }, ctx(lookup));
    expect(env).toEqual({ K: 'v', PW: 'hunter2', EMPTY: '' });
    expect(() => envOf(pod({}), { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nope' } } }] }, ctx(lookup))).toThrow(
      "couldn't find key nope in ConfigMap ns1/cfg",
    );
    expect(() => envOf(pod({}), { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'sec', key: 'nope' } } }] }, ctx(lookup))).toThrow(
      "couldn't find key nope in Secret ns1/sec",
    );
    expect(() => envOf(pod({}), { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k' } } }] }, ctx(lookup))).toThrow('configmap "gone" not found');
  });
});
