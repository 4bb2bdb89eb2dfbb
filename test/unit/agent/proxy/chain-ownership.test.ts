import { describe, expect, it } from 'vitest';
import { endpointChain, isOwnedChain, serviceChain } from '../../../../agent/proxy/chain-names.js';
import { renderRules } from '../../../../agent/proxy/render-rules.js';
import { fullPlan, ownedChainsIn } from '../../../../agent/proxy/sync-plan.js';

// what iptables-save shows on a lab node: the pod network's chains share the KINGLET- prefix
const SAVE = `*nat
:PREROUTING ACCEPT [0:0]
:KINGLET-POD-NAT - [0:0]
:KINGLET-SERVICES - [0:0]
:${serviceChain('default/old', 'tcp')} - [0:0]
:${endpointChain('default/old', 'tcp', '10.244.1.2:80')} - [0:0]
-A POSTROUTING -j KINGLET-POD-NAT
COMMIT
*filter
:KINGLET-FORWARD - [0:0]
COMMIT
`;

describe('proxy chain ownership', () => {
  it('owns its fixed chains and the hashed SVC/SEP chains, not the pod network ones', () => {
    for (const c of ['KINGLET-SERVICES', 'KINGLET-NODEPORTS', 'KINGLET-MARK-MASQ', 'KINGLET-POSTROUTING', serviceChain('a/b', 'tcp'), endpointChain('a/b', 'tcp', '1.2.3.4:5')]) expect(isOwnedChain(c), c).toBe(true);
    for (const c of ['KINGLET-FORWARD', 'KINGLET-POD-NAT', 'KUBE-SERVICES']) expect(isOwnedChain(c), c).toBe(false);
  });

  it('a full sync removes stale Service chains but never the pod network chains', () => {
    const existing = ownedChainsIn(SAVE);
    expect([...existing].sort()).toEqual(['KINGLET-SERVICES', endpointChain('default/old', 'tcp', '10.244.1.2:80'), serviceChain('default/old', 'tcp')].sort());
    const plans = fullPlan(renderRules([], { clusterCidr: '10.244.0.0/16' }), { nat: existing, filter: ownedChainsIn('*filter\n:KINGLET-FORWARD - [0:0]\nCOMMIT\n') }, 100);
    const removed = plans.flatMap((p) => [...(p.nat?.remove ?? []), ...(p.filter?.remove ?? [])]);
    expect(removed.sort()).toEqual([endpointChain('default/old', 'tcp', '10.244.1.2:80'), serviceChain('default/old', 'tcp')].sort());
  });
});
