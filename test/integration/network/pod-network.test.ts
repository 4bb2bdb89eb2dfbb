// The pod network against the real kernel: a throwaway namespace (no default route) wired by a veth
// to a second one standing in for the other nodes, the real `ip` and iptables-restore. Routes follow
// the node list, the rules load, and syncing again neither duplicates jumps nor touches other chains.
// Root only; run under the lock: flock /tmp/kinglet-docker.lock npx vitest run test/integration/network
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/types.js';
import { ExecIpNet } from '../../../agent/network/ip.js';
import { PodNetwork } from '../../../agent/network/pod-network.js';
import { ExecIptables } from '../../../agent/proxy/iptables.js';
import { logger } from '../../../lib/logger.js';

const root = process.getuid?.() === 0;
const id = randomBytes(3).toString('hex');
const NS = `kl-t${id}-a`;
const PEER = `kl-t${id}-b`;
const sh = (...args: string[]): string => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8' });
const inNs = (...args: string[]): string => sh('ip', 'netns', 'exec', NS, ...args);

const node = (name: string, cidr: string, ip: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { podCIDR: cidr }, status: { addresses: [{ type: 'InternalIP', address: ip }] } });

describe.skipIf(!root)('pod network in a real namespace', () => {
  let nodes: KubeObject[] = [];
  let net: PodNetwork;

  beforeAll(() => {
    sh('ip', 'netns', 'add', NS);
    sh('ip', 'netns', 'add', PEER);
    sh('ip', 'link', 'add', 'name', 'eth0', 'netns', NS, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', PEER);
    sh('ip', '-n', NS, 'addr', 'add', '192.168.251.11/24', 'dev', 'eth0');
    sh('ip', '-n', NS, 'link', 'set', 'eth0', 'up');
    sh('ip', '-n', PEER, 'addr', 'add', '192.168.251.12/24', 'dev', 'eth0');
    sh('ip', '-n', PEER, 'link', 'set', 'eth0', 'up');
    // an unrelated rule that must survive every sync
    inNs('iptables', '-A', 'FORWARD', '-s', '192.0.2.7', '-j', 'DROP');
    net = new PodNetwork({
      self: { nodeName: 'node1', nodeIp: '192.168.251.11', podCidr: '10.244.0.0/24', clusterCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' },
      ip: new ExecIpNet({ netns: NS }),
      iptables: new ExecIptables({ netns: NS }),
      listNodes: () => nodes,
      log: logger('test'),
      resyncMs: 0,
    });
  });

  afterAll(() => {
    for (const ns of [NS, PEER]) {
      try {
        sh('ip', 'netns', 'del', ns);
      } catch {
        // not created
      }
    }
  });

  it('installs routes, the service bridge and the KINGLET- chains; follows node changes', async () => {
    nodes = [node('node1', '10.244.0.0/24', '192.168.251.11'), node('node2', '10.244.1.0/24', '192.168.251.12')];
    expect((await net.sync()).errors).toEqual([]);
    let routes = sh('ip', '-n', NS, '-4', 'route');
    expect(routes).toMatch(/^10\.244\.1\.0\/24 via 192\.168\.251\.12 dev eth0 proto 76/m);
    expect(routes).toMatch(/^10\.96\.0\.0\/16 dev kinglet0 proto 76/m);
    expect(routes).not.toMatch(/^default/m);
    const filter = inNs('iptables-save', '-t', 'filter');
    expect(filter).toContain('-A FORWARD -j KINGLET-FORWARD');
    expect(filter).toContain('-A KINGLET-FORWARD -d 10.244.0.0/16');
    const nat = inNs('iptables-save', '-t', 'nat');
    expect(nat).toContain('-A POSTROUTING -j KINGLET-POD-NAT');
    expect(nat).toMatch(/-A KINGLET-POD-NAT -s 10\.244\.0\.0\/24 -m comment --comment "kinglet: pod to outside the cluster" -j MASQUERADE/);

    nodes = [node('node1', '10.244.0.0/24', '192.168.251.11'), node('node3', '10.244.2.0/24', '192.168.251.12')];
    const r = await net.sync();
    expect(r).toMatchObject({ added: ['10.244.2.0/24 via 192.168.251.12'], removed: ['10.244.1.0/24'], errors: [] });
    routes = sh('ip', '-n', NS, '-4', 'route');
    expect(routes).not.toContain('10.244.1.0/24');
    expect(routes).toContain('10.244.2.0/24 via 192.168.251.12');
  });

  it('a forced resync rewrites the rules without duplicating jumps or touching other rules', async () => {
    net.nudge(true);
    await net.stop();
    const filter = inNs('iptables-save', '-t', 'filter');
    expect(filter.match(/-A FORWARD -j KINGLET-FORWARD/g)).toHaveLength(1);
    expect(filter.match(/-A KINGLET-FORWARD /g)).toHaveLength(2);
    expect(filter).toContain('-A FORWARD -s 192.0.2.7/32 -j DROP');
    expect(inNs('iptables-save', '-t', 'nat').match(/-A POSTROUTING -j KINGLET-POD-NAT/g)).toHaveLength(1);
  });
});
