import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DesiredStore } from '../../../../agent/apiclient/desired-state.js';
import { startProxy } from '../../../../agent/proxy/start-proxy.js';
import { FakeIptables } from '../../../fakes/fake-iptables.js';
import { tracePacket } from '../../../helpers/iptables-trace.js';
import { cluster, endpoints } from './fixtures.js';

const settings = { serviceCidr: '10.96.0.0/16', clusterCidr: '10.244.0.0/16', podCidr: '10.244.1.0/24', clusterDns: '', clusterDomain: 'cluster.local' };
const until = async (ok: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
};

describe('startProxy', () => {
  it('waits for the first snapshot, then follows Endpoints deltas from the desired-state cache', async () => {
    const desired = new DesiredStore();
    const ipt = new FakeIptables();
    const c = cluster();
    desired.applyDelta(c.services.map((object) => ({ kind: 'Service' as const, type: 'upsert' as const, object })), 1);
    const proxy = startProxy(desired, settings, 'node1', pino({ level: 'silent' }), ipt);
    await new Promise((r) => setTimeout(r, 20));
    expect(ipt.calls).toEqual([]);
    desired.applySnapshot([...c.services.map((object) => ({ kind: 'Service' as const, type: 'upsert' as const, object })), ...c.endpoints.map((object) => ({ kind: 'Endpoints' as const, type: 'upsert' as const, object }))], 2);
    await until(() => ipt.restores.length > 0);
    await proxy.proxier.idle();
    desired.applyDelta([{ kind: 'Endpoints', type: 'upsert', object: endpoints('default', 'web', [{ ips: ['10.244.5.5'], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]) }], 3);
    const dest = async () => tracePacket((await ipt.save('filter')) + (await ipt.save('nat')), { src: '10.244.1.2', dst: '10.96.0.10', proto: 'tcp', dport: 80 }).outcomes.map((o) => o.dnat);
    await until(() => proxy.proxier.last?.full === false);
    await proxy.proxier.idle();
    expect(await dest()).toEqual(['10.244.5.5:8080']);
    await proxy.stop();
  });
});
