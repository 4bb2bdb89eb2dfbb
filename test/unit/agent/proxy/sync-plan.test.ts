import { describe, expect, it } from 'vitest';
import { renderParts, renderRules, type RenderedPort } from '../../../../agent/proxy/render-rules.js';
import { servicePorts, type ServicePort } from '../../../../agent/proxy/service-ports.js';
import { fullPlan, incrementalPlan, ownedChainsIn } from '../../../../agent/proxy/sync-plan.js';
import { cluster, CLUSTER_CIDR, endpoints } from './fixtures.js';

const opts = { clusterCidr: CLUSTER_CIDR };

describe('sync plans', () => {
  it('a chunked full plan keeps each Service chain with its endpoint chains and ends with dispatch + removals', () => {
    const c = cluster();
    const rules = renderRules(servicePorts(c.services, c.endpoints), opts);
    const plans = fullPlan(rules, { nat: new Set(['KINGLET-SVC-GONEGONEGONEGONE']), filter: new Set() }, 2);
    expect(plans[0].nat!.write).toEqual(['KINGLET-MARK-MASQ', 'KINGLET-POSTROUTING']);
    for (const p of plans.slice(1, -1)) expect(p.nat!.write[0]).toMatch(/^KINGLET-SVC-/);
    const last = plans.at(-1)!;
    expect(last.nat).toEqual({ write: ['KINGLET-SERVICES', 'KINGLET-NODEPORTS'], remove: ['KINGLET-SVC-GONEGONEGONEGONE'] });
    const written = plans.flatMap((p) => p.nat?.write ?? []).sort();
    expect(written).toEqual([...rules.nat.keys()].sort());
    expect(fullPlan(rules, { nat: new Set(), filter: new Set() }, 0)).toHaveLength(1);
  });

  it('the incremental plan skips memoised Services and writes only what differs', () => {
    const c = cluster();
    const pm = new WeakMap<object, { ep: any; ports: ServicePort[] }>();
    const rm = new WeakMap<ServicePort, RenderedPort>();
    const before = renderParts(servicePorts(c.services, c.endpoints, pm), opts, rm);
    const same = renderParts(servicePorts(c.services, c.endpoints, pm), opts, rm);
    expect(incrementalPlan(same, before).plan).toEqual({});
    // the same content in new objects (a re-snapshot) is no change either
    const copy = renderParts(servicePorts(structuredClone(c.services), structuredClone(c.endpoints)), opts);
    expect(incrementalPlan(copy, before).plan).toEqual({});
    const eps = c.endpoints.map((e) => (e.metadata.name === 'api' ? endpoints('default', 'api', [{ ips: ['10.244.1.6'], ports: [{ name: 'grpc', port: 9000, protocol: 'TCP' }] }]) : e));
    const { plan } = incrementalPlan(renderParts(servicePorts(c.services, eps, pm), opts, rm), before);
    // grpc: its Service chain rewritten, two endpoint chains gone; dns lost its only endpoint → REJECT + dispatch
    expect(plan.nat!.remove).toHaveLength(2 + 2);
    expect(plan.filter!.write).toEqual(['KINGLET-SERVICES']);
    expect(plan.nat!.write).toContain('KINGLET-SERVICES');
  });

  it('finds owned chains in iptables-save output and nothing else', () => {
    const save = '*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n:KINGLET-SERVICES - [0:0]\n:KINGLET-SEP-ABC - [0:0]\n-A PREROUTING -j KINGLET-SERVICES\nCOMMIT\n';
    expect([...ownedChainsIn(save)]).toEqual(['KINGLET-SERVICES', 'KINGLET-SEP-ABC']);
  });
});
