import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../api/types.js';
import type { IpNet } from '../../../../agent/network/ip.js';
import type { Route } from '../../../../agent/network/plan.js';
import { PodNetwork } from '../../../../agent/network/pod-network.js';
import type { Iptables } from '../../../../agent/proxy/iptables.js';
import { logger } from '../../../../lib/logger.js';

class FakeIp implements IpNet {
  routes = new Map<string, Route>();
  bridges = new Set<string>();
  calls: string[] = [];
  failReplace = new Set<string>();
  async ownedRoutes() {
    return [...this.routes.values()];
  }
  async replaceRoute(r: Route) {
    this.calls.push(`replace ${r.dst}`);
    if (this.failReplace.has(r.dst)) throw new Error(`Nexthop has invalid gateway for ${r.dst}`);
    this.routes.set(r.dst, r);
  }
  async deleteRoute(dst: string) {
    this.calls.push(`delete ${dst}`);
    this.routes.delete(dst);
  }
  async ensureBridge(name: string) {
    this.bridges.add(name);
  }
}

class FakeIptables implements Iptables {
  restores: string[] = [];
  rules = new Set<string>();
  calls: string[] = [];
  async restore(text: string) {
    this.restores.push(text);
  }
  async save() {
    return '';
  }
  async run(args: string[]) {
    this.calls.push(args.join(' '));
    const [, table, op, chain, ...rest] = args;
    const jump = rest[rest.length - 1];
    const key = `${table} ${chain} ${jump}`;
    if (op === '-C') return this.rules.has(key) ? 0 : 1;
    if (op === '-I') this.rules.add(key);
    return 0;
  }
}

const node = (name: string, cidr: string, ip: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { podCIDR: cidr }, status: { addresses: [{ type: 'InternalIP', address: ip }] } });

function setup(nodes: KubeObject[]) {
  const ip = new FakeIp();
  const ipt = new FakeIptables();
  const list = { nodes };
  const net = new PodNetwork({
    self: { nodeName: 'node1', nodeIp: '10.240.7.11', podCidr: '10.244.0.0/24', clusterCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' },
    ip,
    iptables: ipt,
    listNodes: () => list.nodes,
    log: logger('test'),
    resyncMs: 0,
  });
  return { ip, ipt, list, net };
}

describe('PodNetwork.sync', () => {
  it('writes the rules with their jumps once, then follows nodes coming and going', async () => {
    const h = setup([node('node1', '10.244.0.0/24', '10.240.7.11'), node('node2', '10.244.1.0/24', '10.240.7.12')]);
    const first = await h.net.sync();
    expect(first.errors).toEqual([]);
    expect(h.ipt.restores).toHaveLength(1);
    expect([...h.ipt.rules].sort()).toEqual(['filter FORWARD KINGLET-FORWARD', 'nat POSTROUTING KINGLET-POD-NAT']);
    expect(h.ip.bridges.has('kinglet0')).toBe(true);
    expect([...h.ip.routes.keys()].sort()).toEqual(['10.244.1.0/24', '10.96.0.0/16']);

    h.list.nodes = [node('node1', '10.244.0.0/24', '10.240.7.11'), node('node3', '10.244.2.0/24', '10.240.7.13')];
    const second = await h.net.sync();
    expect(second).toEqual({ added: ['10.244.2.0/24 via 10.240.7.13'], removed: ['10.244.1.0/24'], errors: [] });
    // unchanged rules are not restored again; jumps already present are not inserted twice
    expect(h.ipt.restores).toHaveLength(1);
    expect(h.ipt.calls.filter((c) => c.includes(' -I '))).toHaveLength(2);
  });

  it('reports a failing route and still applies the others; the next sync retries it', async () => {
    const h = setup([node('node2', '10.244.1.0/24', '10.240.7.12'), node('node3', '10.244.2.0/24', '10.240.7.13')]);
    h.ip.failReplace.add('10.244.1.0/24');
    const r = await h.net.sync();
    expect(r.errors).toHaveLength(1);
    expect(h.ip.routes.has('10.244.2.0/24')).toBe(true);
    h.ip.failReplace.clear();
    expect((await h.net.sync()).added).toEqual(['10.244.1.0/24 via 10.240.7.12']);
  });

  it('nudges during a sync coalesce into one more pass', async () => {
    const h = setup([node('node2', '10.244.1.0/24', '10.240.7.12')]);
    h.net.nudge();
    h.net.nudge();
    h.net.nudge();
    await h.net.stop();
    // stop() waits for the running loop; the three nudges cost at most two passes
    const listings = h.ip.calls.filter((c) => c.startsWith('replace 10.244.1.0/24'));
    expect(listings).toHaveLength(1);
  });
});
