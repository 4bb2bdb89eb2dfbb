// The ONLY place in the agent that runs `ip` (execa, child processes): the routes the pod network
// owns (tagged with ROUTE_PROTO) and the port-less service bridge. Runs in the agent's own network
// namespace (in the lab, the node's); tests pass a named namespace (`ip -n NS`).
import { execa } from 'execa';
import type { BridgePort, BridgePortsIp } from './hairpin.js';
import { ROUTE_PROTO, type Route } from './plan.js';

/** What the pod network needs from `ip`; unit tests pass a recording fake. */
export interface IpNet {
  /** routes carrying ROUTE_PROTO */
  ownedRoutes(): Promise<Route[]>;
  replaceRoute(r: Route): Promise<void>;
  deleteRoute(dst: string): Promise<void>;
  /** create (if missing) and bring up a bridge with no ports */
  ensureBridge(name: string): Promise<void>;
}

export class ExecIpNet implements IpNet, BridgePortsIp {
  constructor(private readonly opts: { netns?: string } = {}) {}

  private async tryIp(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const full = this.opts.netns ? ['-n', this.opts.netns, ...args] : args;
    const r = await execa('ip', full, { reject: false, ...(input !== undefined ? { input } : {}) });
    return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr).trim() };
  }

  private async ip(args: string[]): Promise<string> {
    const r = await this.tryIp(args);
    if (r.code !== 0) throw new Error(`ip ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.slice(0, 500)}`);
    return r.stdout;
  }

  async ownedRoutes(): Promise<Route[]> {
    const out = await this.ip(['-j', '-4', 'route', 'show', 'proto', String(ROUTE_PROTO)]);
    const rows = (out.trim() === '' ? [] : JSON.parse(out)) as { dst?: string; gateway?: string; dev?: string }[];
    return rows.filter((r) => r.dst && r.dst !== 'default').map((r) => (r.gateway ? { dst: r.dst!, via: r.gateway } : { dst: r.dst!, dev: r.dev }));
  }

  async replaceRoute(r: Route): Promise<void> {
    const target = r.via ? ['via', r.via] : ['dev', r.dev ?? ''];
    await this.ip(['route', 'replace', r.dst, ...target, 'proto', String(ROUTE_PROTO)]);
  }

  async deleteRoute(dst: string): Promise<void> {
    await this.ip(['route', 'del', dst, 'proto', String(ROUTE_PROTO)]);
  }

  async ensureBridge(name: string): Promise<void> {
    if ((await this.tryIp(['link', 'show', name])).code !== 0) {
      const added = await this.tryIp(['link', 'add', name, 'type', 'bridge']);
      // a concurrent creator is fine; anything else is a real error
      if (added.code !== 0 && !/exists/i.test(added.stderr)) throw new Error(`ip link add ${name} type bridge failed: ${added.stderr}`);
    }
    await this.ip(['link', 'set', name, 'up']);
  }

  async bridgePorts(bridge: string): Promise<BridgePort[]> {
    const r = await this.tryIp(['-d', '-j', 'link', 'show', 'master', bridge]);
    if (r.code !== 0) {
      if (/does not exist/i.test(r.stderr)) return [];
      throw new Error(`ip link show master ${bridge} failed (exit ${r.code}): ${r.stderr.slice(0, 500)}`);
    }
    const rows = (r.stdout.trim() === '' ? [] : JSON.parse(r.stdout)) as { ifname: string; linkinfo?: { info_slave_data?: { hairpin?: boolean } } }[];
    return rows.map((x) => ({ name: x.ifname, hairpin: x.linkinfo?.info_slave_data?.hairpin === true }));
  }

  async setHairpin(ports: string[]): Promise<void> {
    const script = ports.map((p) => `link set dev ${p} type bridge_slave hairpin on\n`).join('');
    const r = await this.tryIp(['-batch', '-'], script);
    if (r.code !== 0) throw new Error(`ip -batch (hairpin on ${ports.join(' ')}) failed (exit ${r.code}): ${r.stderr.slice(0, 500)}`);
  }
}
