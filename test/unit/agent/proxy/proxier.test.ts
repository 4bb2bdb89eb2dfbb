import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../api/types.js';
import { Proxier } from '../../../../agent/proxy/proxier.js';
import { FakeIptables } from '../../../fakes/fake-iptables.js';
import { tracePacket } from '../../../helpers/iptables-trace.js';
import { cluster, CLUSTER_CIDR, endpoints, THIS_NODE } from './fixtures.js';

const log = pino({ level: 'silent' });

function setup(chunkChains = 3) {
  const ipt = new FakeIptables();
  const state = { synced: false, ...cluster() };
  const proxier = new Proxier({
    iptables: ipt,
    clusterCidr: CLUSTER_CIDR,
    nodeName: THIS_NODE,
    log,
    chunkChains,
    source: { snapshot: () => (state.synced ? { services: state.services, endpoints: state.endpoints } : undefined) },
  });
  const setEndpoints = (ep: KubeObject) => (state.endpoints = [...state.endpoints.filter((e) => e.metadata.name !== ep.metadata.name), ep]);
  return { ipt, state, proxier, setEndpoints };
}

/** The kernel model as restore text, for the tracer. */
async function kernel(ipt: FakeIptables): Promise<string> {
  return (await ipt.save('filter')) + (await ipt.save('nat'));
}
const dests = (text: string, dst: string, dport: number) =>
  tracePacket(text, { src: '10.244.1.100', dst, proto: 'tcp', dport }).outcomes.map((o) => o.dnat).filter(Boolean).sort();

describe('Proxier', () => {
  it('writes nothing before the first complete snapshot', async () => {
    const { ipt, proxier } = setup();
    expect(await proxier.syncOnce()).toBeUndefined();
    expect(ipt.calls).toEqual([]);
  });

  it('a full sync in chunks, then one jump per built-in chain, never duplicated', async () => {
    const { ipt, state, proxier } = setup();
    state.synced = true;
    const r = (await proxier.syncOnce())!;
    expect(r.full).toBe(true);
    expect(r.restores).toBeGreaterThan(2);
    expect(dests(await kernel(ipt), '10.96.0.10', 80)).toEqual(['10.244.1.5:8080', '10.244.2.7:8080', '10.244.7.3:8080']);
    const jumps = () => ['PREROUTING', 'OUTPUT', 'POSTROUTING'].map((c) => ipt.chains('nat').get(c)!.filter((l) => l.includes('-j KINGLET-')).length);
    expect(jumps()).toEqual([1, 1, 1]);
    expect(ipt.chains('filter').get('FORWARD')!.filter((l) => l.includes('-j KINGLET-SERVICES'))).toHaveLength(1);
    (proxier as unknown as { needFull: boolean }).needFull = true;
    await proxier.syncOnce();
    expect(jumps()).toEqual([1, 1, 1]);
  });

  it('an endpoint change writes only that Service port\'s chains; an unchanged state writes nothing', async () => {
    const { ipt, state, proxier, setEndpoints } = setup(0);
    state.synced = true;
    await proxier.syncOnce();
    const before = ipt.restores.length;
    expect(await proxier.syncOnce()).toMatchObject({ full: false, restores: 0 });
    const web = (ips: string[]) => endpoints('default', 'web', [{ ips, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]);
    setEndpoints(web(['10.244.1.5', '10.244.2.7', '10.244.7.3', '10.244.1.44']));
    const r = (await proxier.syncOnce())!;
    expect(r).toMatchObject({ full: false, restores: 1, chainsRemoved: 0 });
    const text = ipt.restores[before];
    expect(text).not.toContain('*filter');
    expect(text).not.toContain('default/api');
    expect(text).not.toContain(':KINGLET-SERVICES ');
    // the new (local) endpoint's chain plus the Service chain (its probabilities changed); old SEPs unchanged
    expect(r.chainsWritten).toBe(2);
    // a new remote endpoint is one more DNAT rule in the Service chain: one chain written
    setEndpoints(web(['10.244.1.5', '10.244.2.7', '10.244.7.3', '10.244.1.44', '10.244.4.4']));
    expect(await proxier.syncOnce()).toMatchObject({ restores: 1, chainsWritten: 1, chainsRemoved: 0 });
    expect(dests(await kernel(ipt), '10.96.0.10', 80)).toEqual(['10.244.1.44:8080', '10.244.1.5:8080', '10.244.2.7:8080', '10.244.4.4:8080', '10.244.7.3:8080']);
  });

  it('above 1,000 endpoints the endpoint rules lose their comments (all re-rendered once), and get them back below', async () => {
    const { ipt, state, proxier, setEndpoints } = setup(0);
    state.synced = true;
    await proxier.syncOnce();
    const many = Array.from({ length: 1001 }, (_, i) => `10.245.${i >> 8}.${i & 255}`);
    setEndpoints(endpoints('default', 'web', [{ ips: many, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]));
    await proxier.syncOnce();
    let nat = await ipt.save('nat');
    expect(nat).not.toContain(' -> ');
    expect(nat).toContain('default/api:grpc cluster IP');
    setEndpoints(endpoints('default', 'web', [{ ips: ['10.244.1.5'], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]));
    await proxier.syncOnce();
    nat = await ipt.save('nat');
    expect(nat).toContain('default/api:grpc -> 10.244.2.8:9001');
    expect(nat).toContain('default/web:http -> 10.244.1.5:8080');
  });

  it('losing the last endpoint moves the Service to REJECT and removes its chains in the same transaction', async () => {
    const { ipt, state, proxier, setEndpoints } = setup(0);
    state.synced = true;
    await proxier.syncOnce();
    const svcChains = [...ipt.chains('nat').keys()].filter((c) => c.startsWith('KINGLET-S'));
    setEndpoints(endpoints('default', 'web', []));
    const r = (await proxier.syncOnce())!;
    expect(r.restores).toBe(1);
    expect(r.chainsRemoved).toBe(3);
    const k = await kernel(ipt);
    expect(tracePacket(k, { src: '10.244.1.100', dst: '10.96.0.10', proto: 'tcp', dport: 80 }).filter).toBe('REJECT');
    expect([...ipt.chains('nat').keys()].filter((c) => c.startsWith('KINGLET-S')).length).toBe(svcChains.length - 3);
  });

  it('a deleted Service\'s chains are gone; stale chains of an earlier agent go at the first full sync', async () => {
    const { ipt, state, proxier } = setup();
    await ipt.restore('*nat\n:KINGLET-SEP-OLDOLDOLDOLDOLD - [0:0]\n-A KINGLET-SEP-OLDOLDOLDOLDOLD -j DNAT --to-destination 10.244.9.9:80\nCOMMIT\n');
    state.synced = true;
    await proxier.syncOnce();
    expect(ipt.chains('nat').has('KINGLET-SEP-OLDOLDOLDOLDOLD')).toBe(false);
    state.services = state.services.filter((s) => s.metadata.name !== 'api');
    const r = (await proxier.syncOnce())!;
    expect(r.full).toBe(false);
    expect(r.chainsRemoved).toBe(6);
    expect(await kernel(ipt)).not.toContain('default/api');
  });

  it('a failed restore makes the next sync full; syncs are coalesced, one restore in flight', async () => {
    const { ipt, state, proxier, setEndpoints } = setup(0);
    state.synced = true;
    await proxier.syncOnce();
    ipt.injectError();
    setEndpoints(endpoints('default', 'web', [{ ips: ['10.244.1.5'], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]));
    proxier.requestSync();
    await proxier.idle();
    expect(ipt.calls.filter((c) => c.startsWith('restore')).length).toBe(ipt.restores.length + 1);
    proxier.requestSync();
    await proxier.idle();
    expect(proxier.last!.full).toBe(true);
    // slow restores: count how many run at once while syncs are requested in a burst
    let inFlight = 0;
    let maxInFlight = 0;
    const orig = ipt.restore.bind(ipt);
    ipt.restore = async (t: string) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, 20));
      await orig(t);
      inFlight--;
    };
    const before = ipt.restores.length;
    setEndpoints(endpoints('default', 'web', [{ ips: ['10.244.1.5', '10.244.2.7'], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]));
    for (let i = 0; i < 20; i++) proxier.requestSync();
    await new Promise((r) => setTimeout(r, 5));
    // changes while a restore runs: all of them become one more sync
    for (let i = 0; i < 20; i++) {
      setEndpoints(endpoints('default', 'web', [{ ips: ['10.244.1.5', `10.244.7.${i + 1}`], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]));
      proxier.requestSync();
    }
    setEndpoints(endpoints('default', 'web', [{ ips: ['10.244.1.5'], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]));
    proxier.requestSync();
    await proxier.idle();
    expect(maxInFlight).toBe(1);
    expect(ipt.restores.length - before).toBe(2);
    expect(proxier.last!.full).toBe(false);
    expect(dests(await kernel(ipt), '10.96.0.10', 80)).toEqual(['10.244.1.5:8080']);
    await proxier.stop();
  });
});
