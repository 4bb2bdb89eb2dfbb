import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../api/types.js';
import { desiredRoutes, diffRoutes, renderNetworkRules, SERVICE_BRIDGE, type NetworkSelf } from '../../../../agent/network/plan.js';

const self: NetworkSelf = { nodeName: 'node1', nodeIp: '10.240.7.11', podCidr: '10.244.0.0/24', clusterCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' };

function node(name: string, podCIDR?: string, ip?: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, ...extra },
    spec: podCIDR ? { podCIDR } : {},
    status: ip ? { addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] } : {},
  };
}

describe('desiredRoutes', () => {
  it('routes every other node podCIDR via its InternalIP and parks the service CIDR on the bridge', () => {
    const routes = desiredRoutes([node('node1', '10.244.0.0/24', '10.240.7.11'), node('node3', '10.244.2.0/24', '10.240.7.13'), node('node2', '10.244.1.0/24', '10.240.7.12')], self);
    expect(routes).toEqual([
      { dst: '10.244.1.0/24', via: '10.240.7.12' },
      { dst: '10.244.2.0/24', via: '10.240.7.13' },
      { dst: '10.96.0.0/16', dev: SERVICE_BRIDGE },
    ]);
  });

  it('skips nodes that have not reported a podCIDR or InternalIP yet, deleted ones and bad data', () => {
    const routes = desiredRoutes(
      [
        node('a', undefined, '10.240.7.20'),
        node('b', '10.244.5.0/24'),
        node('c', '10.244.6.0/24', '10.240.7.22', { deletionTimestamp: '2026-01-01T00:00:00Z' }),
        node('d', 'not-a-cidr', '10.240.7.23'),
        node('e', '10.244.8.0/24', '10.244.9.9'),
        node('f', '10.244.0.0/24', '10.240.7.24'),
      ],
      self,
    );
    expect(routes.map((r) => r.dst)).toEqual(['10.96.0.0/16']);
  });

  it('keeps the first node by name when two claim one podCIDR, whatever the list order', () => {
    const a = desiredRoutes([node('zeta', '10.244.3.0/24', '10.240.7.30'), node('alpha', '10.244.3.0/24', '10.240.7.31')], self);
    const b = desiredRoutes([node('alpha', '10.244.3.0/24', '10.240.7.31'), node('zeta', '10.244.3.0/24', '10.240.7.30')], self);
    expect(a).toEqual(b);
    expect(a[0]).toEqual({ dst: '10.244.3.0/24', via: '10.240.7.31' });
  });
});

describe('diffRoutes', () => {
  it('replaces new and changed routes, removes vanished ones, leaves equal ones', () => {
    const current = [
      { dst: '10.244.1.0/24', via: '10.240.7.12' },
      { dst: '10.244.2.0/24', via: '10.240.7.99' },
      { dst: '10.244.4.0/24', via: '10.240.7.14' },
      { dst: '10.96.0.0/16', dev: SERVICE_BRIDGE },
    ];
    const desired = [
      { dst: '10.244.1.0/24', via: '10.240.7.12' },
      { dst: '10.244.2.0/24', via: '10.240.7.13' },
      { dst: '10.244.3.0/24', via: '10.240.7.15' },
      { dst: '10.96.0.0/16', dev: SERVICE_BRIDGE },
    ];
    expect(diffRoutes(current, desired)).toEqual({
      replace: [
        { dst: '10.244.2.0/24', via: '10.240.7.13' },
        { dst: '10.244.3.0/24', via: '10.240.7.15' },
      ],
      remove: ['10.244.4.0/24'],
    });
  });

  it('replaces a device route that points at another device', () => {
    expect(diffRoutes([{ dst: '10.96.0.0/16', dev: 'eth0' }], [{ dst: '10.96.0.0/16', dev: SERVICE_BRIDGE }]).replace).toEqual([{ dst: '10.96.0.0/16', dev: SERVICE_BRIDGE }]);
  });
});

describe('renderNetworkRules', () => {
  it('declares only KINGLET- chains: forward accept for the cluster CIDR, no NAT pod->pod, masquerade to outside', () => {
    const text = renderNetworkRules(self);
    expect(text).toContain('-A KINGLET-FORWARD -d 10.244.0.0/16');
    expect(text).toMatch(/-A KINGLET-POD-NAT -s 10\.244\.0\.0\/24 -d 10\.244\.0\.0\/16 .*-j RETURN/);
    const nat = text.split('*nat')[1]!;
    // RETURN for the cluster must come before the MASQUERADE that would hide the pod's source IP
    expect(nat.indexOf('-d 10.244.0.0/16')).toBeLessThan(nat.indexOf('MASQUERADE'));
    const chains = [...text.matchAll(/^:(\S+)/gm)].map((m) => m[1]);
    expect(chains).toEqual(['KINGLET-FORWARD', 'KINGLET-POD-NAT']);
    expect(text).not.toMatch(/^-[AI] (FORWARD|POSTROUTING|PREROUTING|OUTPUT) /m);
    expect(text.match(/^COMMIT$/gm)).toHaveLength(2);
  });
});
