// The proxier against the real iptables-restore/iptables-save in a throwaway network namespace
// (never the host's tables): full sync, incremental sync, Service deletion, and a restarted
// proxier cleaning up after its predecessor. Run under the machine-wide lock:
//   flock /tmp/kinglet-docker.lock npx vitest run test/integration/proxy/iptables-applier.test.ts
import { execFileSync } from 'node:child_process';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/types.js';
import { ExecIptables } from '../../../agent/proxy/iptables.js';
import { Proxier } from '../../../agent/proxy/proxier.js';
import { tracePacket } from '../../helpers/iptables-trace.js';
import { cluster, CLUSTER_CIDR, endpoints, THIS_NODE } from '../../unit/agent/proxy/fixtures.js';

const NS = `kl-proxy-test-${process.pid}`;
const log = pino({ level: 'silent' });
const ipt = new ExecIptables({ netns: NS });

beforeAll(() => {
  execFileSync('ip', ['netns', 'add', NS]);
});
afterAll(() => {
  execFileSync('ip', ['netns', 'del', NS]);
});

function proxierFor(state: { services: KubeObject[]; endpoints: KubeObject[] }, chunkChains = 4): Proxier {
  return new Proxier({ iptables: ipt, clusterCidr: CLUSTER_CIDR, nodeName: THIS_NODE, log, chunkChains, source: { snapshot: () => ({ services: state.services, endpoints: state.endpoints }) } });
}

const kernel = async (): Promise<string> => (await ipt.save('filter')) + (await ipt.save('nat'));
const trace = (text: string, dst: string, dport: number, src = '10.244.1.100') => tracePacket(text, { src, dst, proto: 'tcp', dport, localIps: ['10.240.0.11'] });
const dests = (text: string, dst: string, dport: number) => trace(text, dst, dport).outcomes.map((o) => o.dnat).filter(Boolean).sort();
const owned = (text: string) => text.split('\n').filter((l) => /^:KINGLET-/.test(l)).map((l) => l.slice(1).split(' ')[0]).sort();

describe('proxier on real iptables (netns)', () => {
  const state = cluster();

  it('full sync: rules as rendered, one jump per built-in chain, traced in the kernel\'s own output', async () => {
    const p = proxierFor(state);
    const r = (await p.syncOnce())!;
    expect(r).toMatchObject({ full: true });
    expect(r.restores).toBeGreaterThan(2);
    const text = await kernel();
    expect(dests(text, '10.96.0.10', 80)).toEqual(['10.244.1.5:8080', '10.244.2.7:8080', '10.244.7.3:8080']);
    // the kernel accepted the remote endpoint's DNAT straight from the Service chain
    expect(text).toMatch(/-A KINGLET-SVC-\S+ .*-j DNAT --to-destination 10\.244\.2\.7:8080/);
    expect(trace(text, '10.96.0.30', 81).filter).toBe('REJECT');
    expect(trace(text, '10.96.0.10', 80, '10.240.0.11').outcomes.every((o) => o.masquerade)).toBe(true);
    expect(dests(text, '10.240.0.11', 30900)).toEqual(['10.244.1.6:9000', '10.244.2.8:9001', '10.244.3.2:9001']);
    for (const [table, chain] of [['nat', 'PREROUTING'], ['nat', 'OUTPUT'], ['nat', 'POSTROUTING'], ['filter', 'INPUT'], ['filter', 'FORWARD'], ['filter', 'OUTPUT']] as const) {
      const jumps = (await ipt.save(table)).split('\n').filter((l) => l.startsWith(`-A ${chain} `) && l.includes('-j KINGLET-'));
      expect(jumps, `${table} ${chain}`).toHaveLength(1);
    }
  });

  it('incremental: one endpoint change rewrites only that Service port; a deleted Service leaves no chain behind', async () => {
    const p = proxierFor(state);
    await p.syncOnce();
    const before = owned(await kernel());
    state.endpoints = [...state.endpoints.filter((e) => e.metadata.name !== 'web'), endpoints('default', 'web', [{ ips: ['10.244.1.5', '10.244.4.4'], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }])];
    const r = (await p.syncOnce())!;
    // the Service chain rewritten (10.244.4.4 is remote: a DNAT rule there), 10.244.7.3's endpoint chain removed
    expect(r).toMatchObject({ full: false, restores: 1, chainsWritten: 1, chainsRemoved: 1 });
    let text = await kernel();
    expect(dests(text, '10.96.0.10', 80)).toEqual(['10.244.1.5:8080', '10.244.4.4:8080']);
    expect(owned(text)).toHaveLength(before.length - 1);
    state.services = state.services.filter((s) => s.metadata.name !== 'api');
    await p.syncOnce();
    text = await kernel();
    expect(text).not.toContain('default/api');
    expect(owned(text)).toHaveLength(before.length - 1 - 6);
    expect(dests(text, '10.96.0.20', 9000)).toEqual([]);
  });

  it('a restarted proxier removes its predecessor\'s stale chains at its first full sync', async () => {
    const stale = { services: state.services.filter((s) => s.metadata.name === 'web'), endpoints: state.endpoints };
    const p = proxierFor(stale, 0);
    const r = (await p.syncOnce())!;
    expect(r).toMatchObject({ full: true, restores: 1 });
    const text = await kernel();
    // filter KINGLET-SERVICES, the four nat base chains, web's Service chain and its one local endpoint's chain
    expect(owned(text)).toHaveLength(1 + 4 + 2);
    expect(trace(text, '10.96.0.30', 81).filter).toBeUndefined();
    expect(dests(text, '10.96.0.10', 80)).toEqual(['10.244.1.5:8080', '10.244.4.4:8080']);
  });
});
