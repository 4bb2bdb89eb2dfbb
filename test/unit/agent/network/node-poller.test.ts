import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../api/types.js';
import { routingFingerprint } from '../../../../agent/network/node-poller.js';

const node = (name: string, cidr: string, ip: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, resourceVersion: String(Math.random()), ...extra },
  spec: { podCIDR: cidr },
  status: { addresses: [{ type: 'InternalIP', address: ip }], conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: String(Date.now()) }] },
});

describe('routingFingerprint', () => {
  it('ignores heartbeats and order, changes with podCIDR, InternalIP, membership and deletion', () => {
    const a = routingFingerprint([node('n1', '10.244.0.0/24', '10.0.0.1'), node('n2', '10.244.1.0/24', '10.0.0.2')]);
    expect(routingFingerprint([node('n2', '10.244.1.0/24', '10.0.0.2'), node('n1', '10.244.0.0/24', '10.0.0.1')])).toBe(a);
    expect(routingFingerprint([node('n1', '10.244.0.0/24', '10.0.0.1'), node('n2', '10.244.1.0/24', '10.0.0.9')])).not.toBe(a);
    expect(routingFingerprint([node('n1', '10.244.0.0/24', '10.0.0.1'), node('n2', '10.244.2.0/24', '10.0.0.2')])).not.toBe(a);
    expect(routingFingerprint([node('n1', '10.244.0.0/24', '10.0.0.1')])).not.toBe(a);
    expect(routingFingerprint([node('n1', '10.244.0.0/24', '10.0.0.1'), node('n2', '10.244.1.0/24', '10.0.0.2', { deletionTimestamp: 'x' })])).not.toBe(a);
  });
});
