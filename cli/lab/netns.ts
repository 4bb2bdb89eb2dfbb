// The lab's wiring with `ip`: a namespace holding the lab bridge, one namespace per node (with NO
// default route) joined to the bridge by a veth, and one veth for the host side. Links are created
// directly inside their namespaces, so the only name the host namespace ever sees is hostLink.
import { sh, trySh } from './proc.js';
import type { LabLayout } from './layout.js';

export const LAB_BRIDGE = 'br0';

export async function listNetns(): Promise<string[]> {
  const out = await sh('ip', ['-j', 'netns', 'list']).catch(() => '[]');
  const rows = (out.trim() === '' ? [] : JSON.parse(out)) as { name: string }[];
  return rows.map((r) => r.name);
}

/** dst of every IPv4 route and address of the host, in every table */
export async function hostRoutesAndAddresses(): Promise<string[]> {
  const routes = JSON.parse((await sh('ip', ['-j', '-4', 'route', 'show', 'table', 'all'])) || '[]') as { dst?: string }[];
  const addrs = JSON.parse((await sh('ip', ['-j', '-4', 'addr', 'show'])) || '[]') as { addr_info?: { local?: string; prefixlen?: number }[] }[];
  const out = routes.map((r) => r.dst ?? '').filter(Boolean);
  for (const a of addrs) for (const i of a.addr_info ?? []) if (i.local) out.push(`${i.local}/${i.prefixlen ?? 32}`);
  return out;
}

export async function createLabBridge(l: LabLayout, hostIp: string, prefix: number): Promise<void> {
  await sh('ip', ['netns', 'add', l.labNs]);
  const n = ['-n', l.labNs];
  await sh('ip', [...n, 'link', 'set', 'lo', 'up']);
  await sh('ip', [...n, 'link', 'add', LAB_BRIDGE, 'type', 'bridge']);
  await sh('ip', [...n, 'link', 'set', LAB_BRIDGE, 'up']);
  await sh('ip', ['link', 'add', 'name', l.hostLink, 'type', 'veth', 'peer', 'name', 'host', 'netns', l.labNs]);
  await sh('ip', [...n, 'link', 'set', 'host', 'master', LAB_BRIDGE, 'up']);
  await sh('ip', ['addr', 'add', `${hostIp}/${prefix}`, 'dev', l.hostLink]);
  await sh('ip', ['link', 'set', l.hostLink, 'up']);
}

export async function createNodeNetns(l: LabLayout, ns: string, port: string, ip: string, prefix: number): Promise<void> {
  await sh('ip', ['netns', 'add', ns]);
  await sh('ip', ['link', 'add', 'name', port, 'netns', l.labNs, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  await sh('ip', ['-n', l.labNs, 'link', 'set', port, 'master', LAB_BRIDGE, 'up']);
  const n = ['-n', ns];
  await sh('ip', [...n, 'link', 'set', 'lo', 'up']);
  await sh('ip', [...n, 'addr', 'add', `${ip}/${prefix}`, 'dev', 'eth0']);
  await sh('ip', [...n, 'link', 'set', 'eth0', 'up']);
  // The network-safety rule rests on this: nothing in a node can reach past the lab.
  const def = await sh('ip', [...n, '-4', 'route', 'show', 'default']);
  if (def.trim() !== '') throw new Error(`node namespace ${ns} has a default route (${def.trim()}); refusing to continue`);
}

/** Delete every namespace of this lab and the host link; missing ones are fine. */
export async function removeNetworking(l: LabLayout): Promise<string[]> {
  const removed: string[] = [];
  for (const ns of await listNetns()) {
    if (!ns.startsWith(l.nsPrefix)) continue;
    if ((await trySh('ip', ['netns', 'del', ns])) === 0) removed.push(ns);
  }
  // deleting the lab namespace destroys the peer and so the host end; this covers a half-made link
  if ((await trySh('ip', ['link', 'show', l.hostLink])) === 0 && (await trySh('ip', ['link', 'del', l.hostLink])) === 0) removed.push(l.hostLink);
  return removed;
}
