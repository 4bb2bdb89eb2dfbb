import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { resourceFor } from '../../../../api/resources.js';
import { desiredSlices, startEndpointSliceController, syncEndpointSlices } from '../../../../apiserver/controllers/endpointslice-controller.js';
import { FakeRegistry } from '../../../fakes/fake-registry.js';
import { pod, svc } from './endpoint-fixtures.js';

const SVC = resourceFor('', 'services')!;
const PODS = resourceFor('', 'pods')!;
const SLICES = resourceFor('discovery.k8s.io', 'endpointslices')!;
const log = pino({ level: 'silent' });

describe('endpointslice plan', () => {
  it('one slice per port set with ready/serving/terminating conditions and the service-name label', () => {
    const [s] = desiredSlices(svc('web'), [pod('a', 'web', '10.244.0.2', true), pod('b', 'web', '10.244.0.3', false), pod('t', 'web', '10.244.0.4', true, { deleting: true })]);
    expect(s.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(s.addressType).toBe('IPv4');
    expect(s.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(s.endpoints.map((e: any) => [e.addresses[0], e.conditions])).toEqual([
      ['10.244.0.2', { ready: true, serving: true, terminating: false }],
      ['10.244.0.3', { ready: false, serving: false, terminating: false }],
    ]);
  });

  it('chunks at 100 endpoints and keeps one empty placeholder for a Service without endpoints', () => {
    const pods = Array.from({ length: 150 }, (_, i) => pod(`p${i}`, 'web', `10.244.${Math.floor(i / 200)}.${(i % 200) + 2}`, true));
    const slices = desiredSlices(svc('web'), pods);
    expect(slices.map((s) => s.endpoints.length)).toEqual([100, 50]);
    expect(new Set(slices.map((s) => s.metadata.name)).size).toBe(2);
    const empty = desiredSlices(svc('web'), []);
    expect(empty).toHaveLength(1);
    expect(empty[0].endpoints).toEqual([]);
  });
});

describe('endpointslice controller', () => {
  it('writes slices once, replaces a stale one, and removes them with the Service', async () => {
    const reg = new FakeRegistry();
    reg.seed(SVC, svc('web'));
    reg.seed(PODS, pod('a', 'web', '10.244.0.2', true));
    await syncEndpointSlices(reg, 'default/web', log);
    const first = reg.all(SLICES, 'default');
    expect(first).toHaveLength(1);
    await syncEndpointSlices(reg, 'default/web', log);
    expect(reg.all(SLICES, 'default')[0].metadata.resourceVersion).toBe(first[0].metadata.resourceVersion);
    // the pod's port changes: a new port set → a new slice, the old one is deleted
    reg.seed(PODS, pod('a', 'web', '10.244.0.2', true, { containerPort: 9000 }));
    await syncEndpointSlices(reg, 'default/web', log);
    const after = reg.all(SLICES, 'default');
    expect(after.map((s) => s.ports[0].port)).toEqual([9000]);
    await reg.delete(SVC, 'default', 'web', { user: { name: 'a', groups: [] } });
    await syncEndpointSlices(reg, 'default/web', log);
    expect(reg.all(SLICES, 'default')).toEqual([]);
  });

  it('follows readiness through the pod watch', async () => {
    const reg = new FakeRegistry();
    reg.seed(SVC, svc('web'));
    reg.seed(PODS, pod('a', 'web', '10.244.0.2', false));
    const ac = new AbortController();
    const h = startEndpointSliceController(reg, { signal: ac.signal, log });
    const ready = () => reg.all(SLICES, 'default')[0]?.endpoints?.[0]?.conditions?.ready;
    await vi.waitFor(() => expect(ready()).toBe(false));
    reg.seed(PODS, pod('a', 'web', '10.244.0.2', true));
    await vi.waitFor(() => expect(ready()).toBe(true));
    ac.abort();
    await h.done;
  });
});
