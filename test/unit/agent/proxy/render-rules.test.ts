import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpointChain } from '../../../../agent/proxy/chain-names.js';
import { probability, renderRules, restoreText } from '../../../../agent/proxy/render-rules.js';
import { servicePorts } from '../../../../agent/proxy/service-ports.js';
import { tracePacket, type Packet } from '../../../helpers/iptables-trace.js';
import { REPO_ROOT } from '../../../helpers/paths.js';
import { cluster, CLUSTER_CIDR, THIS_NODE } from './fixtures.js';

function allText(nodeName: string | null = THIS_NODE): string {
  const c = cluster();
  const r = renderRules(servicePorts(c.services, c.endpoints, undefined, { nodeName: nodeName ?? undefined }), { clusterCidr: CLUSTER_CIDR });
  return restoreText(r, { filter: { write: [...r.filter.keys()], remove: [] }, nat: { write: [...r.nat.keys()], remove: [] } });
}

const NODE_IP = '10.240.0.11';
const trace = (p: Partial<Packet> & Pick<Packet, 'dst' | 'dport'>) => tracePacket(allText(), { src: '10.244.1.100', proto: 'tcp', localIps: [NODE_IP], ...p });
const dests = (t: ReturnType<typeof trace>) => t.outcomes.map((o) => o.dnat).filter(Boolean).sort();

describe('renderRules', () => {
  it('matches the golden file (UPDATE_GOLDEN=1 rewrites it)', () => {
    const file = join(REPO_ROOT, 'test/golden/proxy-rules.txt');
    const text = allText();
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it('is deterministic and load-balances with probabilities 1/(n-i)', () => {
    expect(allText()).toBe(allText());
    expect([probability(3, 0), probability(3, 1)]).toEqual(['0.3333333333', '0.5000000000']);
  });
});

describe('large clusters', () => {
  it('without endpoint comments the same packets take the same paths; Service-level comments stay', () => {
    const c = cluster();
    const r = renderRules(servicePorts(c.services, c.endpoints, undefined, { nodeName: THIS_NODE }), { clusterCidr: CLUSTER_CIDR, endpointComments: false });
    const bare = restoreText(r, { filter: { write: [...r.filter.keys()], remove: [] }, nat: { write: [...r.nat.keys()], remove: [] } });
    expect(bare).not.toContain(' -> ');
    expect(bare).toContain('default/web:http cluster IP');
    for (const p of [{ dst: '10.96.0.10', dport: 80 }, { src: '10.244.1.5', dst: '10.96.0.10', dport: 80 }, { dst: NODE_IP, dport: 30900 }]) {
      const t = (text: string) => tracePacket(text, { src: '10.244.1.100', proto: 'tcp', localIps: [NODE_IP], ...p }).outcomes.map((o) => `${o.dnat}/${o.masquerade}`).sort();
      expect(t(bare)).toEqual(t(allText()));
    }
  });
});

describe('packet traces', () => {
  it('a pod reaching a ClusterIP is DNATed to one of the ready endpoints, not masqueraded', () => {
    const t = trace({ dst: '10.96.0.10', dport: 80 });
    expect(t.filter).toBeUndefined();
    expect(dests(t)).toEqual(['10.244.1.5:8080', '10.244.2.7:8080', '10.244.7.3:8080']);
    expect(t.outcomes.every((o) => !o.masquerade)).toBe(true);
    expect(t.outcomes[0].chains[0]).toBe('KINGLET-SERVICES');
  });

  it('traffic from outside the pod network (the node itself) is masqueraded', () => {
    const t = trace({ src: NODE_IP, dst: '10.96.0.10', dport: 80 });
    expect(dests(t)).toHaveLength(3);
    expect(t.outcomes.every((o) => o.masquerade)).toBe(true);
  });

  it('hairpin: an endpoint reaching its own Service is masqueraded only when sent to itself', () => {
    const t = trace({ src: '10.244.1.5', dst: '10.96.0.10', dport: 80 });
    const byDest = Object.fromEntries(t.outcomes.map((o) => [o.dnat, o.masquerade]));
    expect(byDest).toEqual({ '10.244.1.5:8080': true, '10.244.2.7:8080': false, '10.244.7.3:8080': false });
    // an endpoint of unknown node keeps its hairpin check too
    const unknown = trace({ src: '10.244.7.3', dst: '10.96.0.10', dport: 80 });
    expect(Object.fromEntries(unknown.outcomes.map((o) => [o.dnat, o.masquerade]))['10.244.7.3:8080']).toBe(true);
  });

  it('endpoint chains only for local (or unknown-node) endpoints and affinity; remote ones are DNATed from the Service chain', () => {
    const text = allText();
    const sep = (key: string, ep: string) => endpointChain(key, 'tcp', ep);
    expect(text).toContain(`:${sep('default/web:http', '10.244.1.5:8080')} `);
    expect(text).toContain(`:${sep('default/web:http', '10.244.7.3:8080')} `);
    expect(text).not.toContain(sep('default/web:http', '10.244.2.7:8080'));
    expect(text).toMatch(/-A KINGLET-SVC-\S+ .*default\/web:http -> 10\.244\.2\.7:8080.* -j DNAT --to-destination 10\.244\.2\.7:8080/);
    // affinity remembers clients per endpoint chain: every endpoint keeps one, remote or not
    expect(text).toContain(`:${sep('default/api:grpc', '10.244.2.8:9001')} `);
    // without knowing the node, every endpoint gets its chain (always correct, more rules)
    expect(allText(null)).toContain(`:${sep('default/web:http', '10.244.2.7:8080')} `);
    const remote = trace({ dst: '10.96.0.10', dport: 80 }).outcomes.find((o) => o.dnat === '10.244.2.7:8080')!;
    expect(remote.chains.some((c) => c.startsWith('KINGLET-SEP-'))).toBe(false);
  });

  it('a Service without endpoints is rejected in filter and not DNATed, on its VIP and its node port', () => {
    const vip = trace({ dst: '10.96.0.30', dport: 81 });
    expect(vip.filter).toBe('REJECT');
    expect(dests(vip)).toEqual([]);
    expect(trace({ dst: NODE_IP, dport: 30081 }).filter).toBe('REJECT');
    expect(trace({ dst: '10.240.0.99', dport: 30081 }).filter).toBeUndefined();
  });

  it('a node port on a local address reaches every endpoint of its port, masqueraded; elsewhere nothing', () => {
    const t = trace({ dst: NODE_IP, dport: 30900 });
    expect(dests(t)).toEqual(['10.244.1.6:9000', '10.244.2.8:9001', '10.244.3.2:9001']);
    expect(t.outcomes.every((o) => o.masquerade)).toBe(true);
    expect(dests(trace({ dst: '10.240.0.99', dport: 30900 }))).toEqual([]);
  });

  it('UDP ports, per-port endpoints and unknown ports', () => {
    expect(dests(trace({ proto: 'udp', dst: '10.96.0.20', dport: 53 }))).toEqual(['10.244.1.6:5353']);
    expect(dests(trace({ proto: 'tcp', dst: '10.96.0.20', dport: 53 }))).toEqual([]);
    expect(dests(trace({ dst: '10.96.0.10', dport: 81 }))).toEqual([]);
  });

  it('ClientIP affinity: a remembered client goes back to its endpoint only', () => {
    const sep = endpointChain('default/api:grpc', 'tcp', '10.244.2.8:9001');
    expect(dests(trace({ dst: '10.96.0.20', dport: 9000, recentIn: [sep] }))).toEqual(['10.244.2.8:9001']);
    expect(allText()).toContain('--rcheck --seconds 600 --reap');
  });

  it('never proxies headless or ExternalName Services, nor not-ready addresses', () => {
    const text = allText();
    expect(text).not.toContain('default/headless');
    expect(text).not.toContain('default/ext');
    expect(text).not.toContain('10.244.3.9');
  });
});
