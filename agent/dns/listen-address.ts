// The cluster DNS IP as a local address of this node: a /32 on the port-less service bridge
// (kinglet0, the same bridge the service CIDR is routed to). Pods' queries to that IP are then
// delivered to the agent's own socket by plain routing: no iptables rule, no proxy involvement,
// and every node answers its own pods at the same IP. Idempotent; the only `ip` caller in agent/dns.
import { execa } from 'execa';

export const SERVICE_BRIDGE = 'kinglet0';

export type IpRunner = (args: string[]) => Promise<{ exitCode: number; stderr: string }>;

export const runIp: IpRunner = async (args) => {
  const r = await execa('ip', args, { reject: false });
  return { exitCode: r.exitCode ?? 1, stderr: String(r.stderr ?? '') };
};

/**
 * 1. the bridge, when absent (another part of the agent may have made it already; "exists" is
 * fine); 2. up; 3. the address, with `replace` so a second call is a no-op.
 */
export async function ensureListenAddress(ip: string, run: IpRunner = runIp, link = SERVICE_BRIDGE): Promise<void> {
  const shown = await run(['-o', 'link', 'show', 'dev', link]);
  if (shown.exitCode !== 0) {
    const add = await run(['link', 'add', link, 'type', 'bridge']);
    if (add.exitCode !== 0 && !/exists/i.test(add.stderr)) throw new Error(`ip link add ${link}: ${add.stderr.trim()}`);
  }
  const up = await run(['link', 'set', link, 'up']);
  if (up.exitCode !== 0) throw new Error(`ip link set ${link} up: ${up.stderr.trim()}`);
  const addr = await run(['addr', 'replace', `${ip}/32`, 'dev', link]);
  if (addr.exitCode !== 0) throw new Error(`ip addr replace ${ip}/32 dev ${link}: ${addr.stderr.trim()}`);
}
