import { describe, expect, it } from 'vitest';
import { addressesFor, labId, layoutFor, nodeNs, pickSubnet } from '../../../../cli/lab/layout.js';
import { mountsUnder } from '../../../../cli/lab/down.js';

describe('lab layout', () => {
  it('derives short, stable, per-directory names that fit Linux limits', () => {
    const a = layoutFor('/tmp/lab-a');
    expect(layoutFor('/tmp/lab-a/')).toEqual(a);
    expect(layoutFor('/tmp/lab-b').id).not.toBe(a.id);
    expect(a.id).toMatch(/^[0-9a-f]{6}$/);
    expect(a.hostLink.length).toBeLessThanOrEqual(15);
    expect(nodeNs(a, 'node12')).toBe(`kl-${a.id}-node12`);
    expect(nodeNs(a, 'node1').startsWith(a.nsPrefix)).toBe(true);
    expect(labId('/tmp/lab-a')).toBe(a.id);
  });

  it('addresses: host .1, nodes from .11, bounded node count', () => {
    expect(addressesFor('10.240.9.0/24', 3)).toEqual({ subnet: '10.240.9.0/24', prefix: 24, hostIp: '10.240.9.1', nodeIps: ['10.240.9.11', '10.240.9.12', '10.240.9.13'] });
    expect(() => addressesFor('10.240.9.0/24', 0)).toThrow(/--nodes/);
    expect(() => addressesFor('10.240.9.0/28', 3)).toThrow(/too small/);
  });
});

describe('pickSubnet', () => {
  it('never overlaps an existing route or address, whatever the seed', () => {
    const id = 'ab12cd';
    const first = pickSubnet([], id);
    expect(first).toMatch(/^10\.240\.\d+\.0\/24$/);
    const again = pickSubnet(['default', first, '192.0.2.0/24', '127.0.0.1'], id);
    expect(again).not.toBe(first);
    expect(again).toMatch(/^10\.240\.\d+\.0\/24$/);
    // an address inside the candidate counts as well as a route for it
    const host = first.replace('.0/24', '.77');
    expect(pickSubnet([host], id)).not.toBe(first);
  });

  it('moves to the next pool when a wide route covers the first one; ignores the default route', () => {
    expect(pickSubnet(['10.0.0.0/8', 'default', '0.0.0.0/0'], 'ffff00')).toMatch(/^172\.30\.\d+\.0\/24$/);
  });

  it('keeps clear of the cluster and service ranges and fails clearly when nothing is free', () => {
    expect(() => pickSubnet([], '000000', ['0.0.0.0/1', '128.0.0.0/1'])).toThrow(/no free \/24/);
  });
});

describe('mountsUnder', () => {
  it('lists mount points at or below the roots, deepest first, and nothing else', () => {
    const mounts = [
      'overlay /tmp/lab/nodes/node1/docker/overlay2/abc/merged overlay rw 0 0',
      'nsfs /run/kinglet-lab/ab12cd/node1/netns/123 nsfs rw 0 0',
      'tmpfs /tmp/lab/nodes/node1/agent/pods/u1/volumes/s tmpfs rw 0 0',
      'overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0',
      'tmpfs /tmp/lab-other/x tmpfs rw 0 0',
    ].join('\n');
    expect(mountsUnder(['/tmp/lab', '/run/kinglet-lab/ab12cd'], mounts)).toEqual([
      '/tmp/lab/nodes/node1/agent/pods/u1/volumes/s',
      '/tmp/lab/nodes/node1/docker/overlay2/abc/merged',
      '/run/kinglet-lab/ab12cd/node1/netns/123',
    ]);
  });
});
