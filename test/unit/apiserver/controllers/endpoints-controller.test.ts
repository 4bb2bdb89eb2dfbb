import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { resourceFor } from '../../../../api/resources.js';
import { desiredEndpoints, startEndpointsController, syncEndpoints } from '../../../../apiserver/controllers/endpoints-controller.js';
import { computeEndpointGroups, resolveTargetPort } from '../../../../apiserver/controllers/endpoints-plan.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';
import { pod, svc } from './endpoint-fixtures.js';

const SVC = resourceFor('', 'services')!;
const PODS = resourceFor('', 'pods')!;
const EP = resourceFor('', 'endpoints')!;
const log = pino({ level: 'silent' });

const ips = (list: Array<{ ip: string }> | undefined) => (list ?? []).map((a) => a.ip);

describe('endpoints plan', () => {
  it('ready pods become addresses, not-ready ones notReadyAddresses, pods without IP or terminal are left out', () => {
    const ep = desiredEndpoints(svc('web'), [
      pod('a', 'web', '10.244.0.2', true),
      pod('b', 'web', '10.244.0.3', false),
      pod('c', 'web', undefined, true),
      pod('d', 'web', '10.244.0.5', true, { phase: 'Succeeded' }),
      pod('e', 'other', '10.244.0.6', true),
    ]);
    expect(ep.subsets).toHaveLength(1);
    const s = ep.subsets[0];
    expect(ips(s.addresses)).toEqual(['10.244.0.2']);
    expect(ips(s.notReadyAddresses)).toEqual(['10.244.0.3']);
    expect(s.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(s.addresses[0]).toMatchObject({ nodeName: 'n1', targetRef: { kind: 'Pod', name: 'a', uid: 'uid-a' } });
  });

  it('resolves a named targetPort per pod, splitting subsets by port set', () => {
    const groups = computeEndpointGroups(svc('web'), [pod('a', 'web', '10.244.0.2', true, { containerPort: 8080 }), pod('b', 'web', '10.244.0.3', true, { containerPort: 9090 })]);
    expect(groups.map((g) => [g.ports[0].port, g.endpoints.map((e) => e.ip)])).toEqual([
      [8080, ['10.244.0.2']],
      [9090, ['10.244.0.3']],
    ]);
    expect(resolveTargetPort({ port: 80, targetPort: 'nope' }, pod('a', 'web', '1.1.1.1', true))).toBeUndefined();
    expect(resolveTargetPort({ port: 80, targetPort: 'web', protocol: 'UDP' }, pod('a', 'web', '1.1.1.1', true))).toBeUndefined();
    expect(resolveTargetPort({ port: 80, targetPort: 81 }, pod('a', 'web', '1.1.1.1', true))).toBe(81);
  });

  it('publishNotReadyAddresses lists not-ready and terminating pods as ready', () => {
    const ep = desiredEndpoints(svc('web', { publishNotReadyAddresses: true }), [pod('b', 'web', '10.244.0.3', false), pod('t', 'web', '10.244.0.4', true, { deleting: true })]);
    expect(ips(ep.subsets[0].addresses)).toEqual(['10.244.0.3', '10.244.0.4']);
    expect(ep.subsets[0].notReadyAddresses).toBeUndefined();
    const normal = desiredEndpoints(svc('web'), [pod('t', 'web', '10.244.0.4', true, { deleting: true })]);
    expect(normal.subsets).toEqual([]);
  });

  it('a headless Service without ports still lists its pods; services without selector are unmanaged', () => {
    const ep = desiredEndpoints(svc('db', { clusterIP: 'None', ports: [] }), [pod('a', 'db', '10.244.0.2', true)]);
    expect(ep.subsets).toEqual([{ addresses: [expect.objectContaining({ ip: '10.244.0.2' })] }]);
    expect(ep.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });
    expect(computeEndpointGroups(svc('x', { selector: undefined }), [pod('a', 'x', '10.244.0.2', true)])).toEqual([]);
  });
});

describe('endpoints controller', () => {
  it('does not rewrite unchanged Endpoints and deletes them with the Service', async () => {
    const reg = new FakeRegistry();
    reg.seed(SVC, svc('web'));
    reg.seed(PODS, pod('a', 'web', '10.244.0.2', true));
    await syncEndpoints(reg, 'default/web', log);
    const rv = reg.peek(EP, 'default', 'web')!.metadata.resourceVersion;
    await syncEndpoints(reg, 'default/web', log);
    expect(reg.peek(EP, 'default', 'web')!.metadata.resourceVersion).toBe(rv);
    await reg.delete(SVC, 'default', 'web', { user: { name: 'a', groups: [] } });
    await syncEndpoints(reg, 'default/web', log);
    expect(reg.peek(EP, 'default', 'web')).toBeUndefined();
  });

  it('leaves the Endpoints of a selector-less Service alone', async () => {
    const reg = new FakeRegistry();
    reg.seed(SVC, svc('manual', { selector: undefined }));
    reg.seed(EP, { metadata: { name: 'manual', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.1.1.1' }] }] });
    await syncEndpoints(reg, 'default/manual', log);
    expect(reg.peek(EP, 'default', 'manual')!.subsets[0].addresses[0].ip).toBe('10.1.1.1');
  });

  it('follows a readiness flip and a relabel within one event', async () => {
    const reg = new FakeRegistry();
    reg.seed(SVC, svc('web'));
    reg.seed(PODS, pod('a', 'web', '10.244.0.2', false));
    const ac = new AbortController();
    const h = startEndpointsController(reg, { signal: ac.signal, log });
    await h.synced;
    const subset = () => reg.peek(EP, 'default', 'web')?.subsets?.[0];
    await vi.waitFor(() => expect(ips(subset()?.notReadyAddresses)).toEqual(['10.244.0.2']));
    reg.seed(PODS, pod('a', 'web', '10.244.0.2', true));
    await vi.waitFor(() => expect(ips(subset()?.addresses)).toEqual(['10.244.0.2']));
    reg.seed(PODS, pod('a', 'other', '10.244.0.2', true));
    await vi.waitFor(() => expect(reg.peek(EP, 'default', 'web')?.subsets).toEqual([]));
    ac.abort();
    await h.done;
  });
});
