// The ONLY place in the agent that runs `ip` (execa, child processes): the routes the pod network
// owns (tagged with ROUTE_PROTO) and the port-less service bridge. Runs in the agent's own network
// namespace; in the lab that is the node's namespace.
import { execa } from 'execa';
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

async function ip(args: string[]): Promise<string> {
  const r = await execa('ip', args, { reject: false });
  if (r.exitCode !== 0) throw new Error(`ip ${args.join(' ')} failed (exit ${r.exitCode}): ${String(r.stderr).trim().slice(0, 500)}`);
  return String(r.stdout);
}

export class ExecIpNet implements IpNet {
  async ownedRoutes(): Promise<Route[]> {
    const out = await ip(['-j', '-4', 'route', 'show', 'proto', String(ROUTE_PROTO)]);
    const rows = (out.trim() === '' ? [] : JSON.parse(out)) as { dst?: string; gateway?: string; dev?: string }[];
    return rows.filter((r) => r.dst && r.dst !== 'default').map((r) => (r.gateway ? { dst: r.dst!, via: r.gateway } : { dst: r.dst!, dev: r.dev }));
  }

  async replaceRoute(r: Route): Promise<void> {
    const target = r.via ? ['via', r.via] : ['dev', r.dev ?? ''];
    await ip(['route', 'replace', r.dst, ...target, 'proto', String(ROUTE_PROTO)]);
  }

  async deleteRoute(dst: string): Promise<void> {
    await ip(['route', 'del', dst, 'proto', String(ROUTE_PROTO)]);
  }

  async ensureBridge(name: string): Promise<void> {
    const shown = await execa('ip', ['link', 'show', name], { reject: false });
    if (shown.exitCode !== 0) {
      const added = await execa('ip', ['link', 'add', name, 'type', 'bridge'], { reject: false });
      // a concurrent creator is fine; anything else is a real error
      if (added.exitCode !== 0 && !/exists/i.test(String(added.stderr))) throw new Error(`ip link add ${name} type bridge failed: ${String(added.stderr).trim()}`);
    }
    await ip(['link', 'set', name, 'up']);
  }
}
