// Pure naming and addressing of one lab. Everything derives from a short id hashed from the lab's
// directory, so two labs (or a lab and anything else on the host) never share a namespace or link
// name, and `lab down` can find what a crashed `lab up` left even without its state file.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { cidrContains, intToIp, ipToInt, parseCidr, subnet, subnetCount } from '../../lib/cidr.js';

export const MAX_NODES = 200;
export const REGISTRY_PORT = 5000;
export const APISERVER_PORT = 6443;
/** the node dockerd's own docker0; pods use the agent's podCIDR bridge instead */
export const NODE_DOCKER_BIP = '172.31.254.1/24';
export const CLUSTER_CIDR = '10.244.0.0/16';
export const SERVICE_CIDR = '10.96.0.0/16';
/** where lab subnets come from, in order: a /24 of the first pool that collides with no route */
export const SUBNET_POOLS = ['10.240.0.0/16', '172.30.0.0/16', '192.168.192.0/18'];

export function labId(dir: string): string {
  return createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 6);
}

export interface LabLayout {
  id: string;
  dir: string;
  /** namespace holding the lab bridge */
  labNs: string;
  /** the host's veth end (the only link the lab puts in the host namespace) */
  hostLink: string;
  /** short paths for sockets (unix socket paths are limited to 108 bytes) */
  runDir: string;
  /** every namespace of this lab starts with this */
  nsPrefix: string;
}

export function layoutFor(dir: string): LabLayout {
  const id = labId(dir);
  return { id, dir: resolve(dir), labNs: `kl-${id}-lab`, hostLink: `kl${id}h`, runDir: `/run/kinglet-lab/${id}`, nsPrefix: `kl-${id}-` };
}

export const nodeName = (i: number): string => `node${i}`;
export const nodeNs = (l: LabLayout, name: string): string => `${l.nsPrefix}${name}`;

export interface LabAddresses {
  subnet: string;
  prefix: number;
  hostIp: string;
  nodeIps: string[];
}

/** host .1, node i .(10+i) */
export function addressesFor(subnetText: string, nodes: number): LabAddresses {
  const c = parseCidr(subnetText);
  if (nodes < 1 || nodes > MAX_NODES) throw new Error(`--nodes must be between 1 and ${MAX_NODES}`);
  if (c.size < 16 + nodes) throw new Error(`lab subnet ${c.text} is too small for ${nodes} nodes`);
  return { subnet: c.text, prefix: c.prefix, hostIp: intToIp(c.base + 1), nodeIps: Array.from({ length: nodes }, (_, i) => intToIp(c.base + 11 + i)) };
}

const overlaps = (a: string, b: string): boolean => {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return cidrContains(x, y.base) || cidrContains(y, x.base);
};

/** `10.1.2.3` → `10.1.2.3/32`; CIDRs pass through; anything else (default, multicast names) is dropped */
function asCidr(dst: string): string | undefined {
  if (dst === 'default') return undefined;
  const [ip, len] = dst.split('/');
  try {
    const n = ipToInt(ip!);
    const prefix = len === undefined ? 32 : Number(len);
    const size = 2 ** (32 - prefix);
    return `${intToIp(n - (n % size))}/${prefix}`;
  } catch {
    return undefined;
  }
}

/**
 * A /24 that overlaps no existing route or address (default routes aside) nor the cluster and
 * service ranges. The search starts at a slot derived from the id, so parallel labs rarely even try
 * the same one.
 */
export function pickSubnet(existing: string[], id: string, avoid: string[] = [CLUSTER_CIDR, SERVICE_CIDR]): string {
  const taken = [...existing.map(asCidr).filter((c): c is string => c !== undefined && c !== '0.0.0.0/0'), ...avoid];
  const seed = parseInt(id.slice(0, 4), 16);
  for (const pool of SUBNET_POOLS) {
    const count = subnetCount(pool, 24);
    for (let k = 0; k < count; k++) {
      const candidate = subnet(pool, 24, (seed + k) % count);
      if (!taken.some((t) => overlaps(t, candidate))) return candidate;
    }
  }
  throw new Error(`no free /24 for the lab in ${SUBNET_POOLS.join(', ')}: every one overlaps an existing route`);
}
