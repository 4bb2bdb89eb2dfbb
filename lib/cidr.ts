// IPv4 address and CIDR arithmetic on unsigned 32-bit integers. Used by the Service ClusterIP
// allocator (service CIDR) and the node podCIDR allocator (/24 subnets of the cluster CIDR).

export interface Cidr {
  /** network address as an unsigned 32-bit integer */
  base: number;
  prefix: number;
  /** number of addresses in the range, network and broadcast included */
  size: number;
  /** the canonical text form `10.96.0.0/16` */
  text: string;
}

/** `10.96.0.10` → 174063626. Throws Error naming the bad text. */
export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${ip}"`);
  let n = 0;
  for (const p of parts) {
    // Leading zeros are rejected: Go's net.ParseIP refuses them (octal ambiguity).
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) throw new Error(`invalid IPv4 address "${ip}"`);
    const v = Number(p);
    if (v > 255) throw new Error(`invalid IPv4 address "${ip}"`);
    n = n * 256 + v;
  }
  return n >>> 0;
}

export function intToIp(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`IPv4 integer out of range: ${n}`);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIPv4(text: string): boolean {
  try {
    ipToInt(text);
    return true;
  } catch {
    return false;
  }
}

/** Parse `10.96.0.0/16`. Host bits must be zero (as Kubernetes requires for --service-cluster-ip-range). */
export function parseCidr(text: string): Cidr {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m) throw new Error(`invalid CIDR "${text}": expected a.b.c.d/prefix`);
  const prefix = Number(m[2]);
  if (prefix > 32) throw new Error(`invalid CIDR "${text}": prefix length must be 0-32`);
  let ip: number;
  try {
    ip = ipToInt(m[1]);
  } catch {
    throw new Error(`invalid CIDR "${text}": "${m[1]}" is not an IPv4 address`);
  }
  const size = 2 ** (32 - prefix);
  const base = ip - (ip % size);
  if (base !== ip) throw new Error(`invalid CIDR "${text}": host bits are set (did you mean ${intToIp(base)}/${prefix}?)`);
  return { base, prefix, size, text: `${intToIp(base)}/${prefix}` };
}

const asCidr = (c: Cidr | string): Cidr => (typeof c === 'string' ? parseCidr(c) : c);

export function cidrContains(cidr: Cidr | string, ip: string | number): boolean {
  const c = asCidr(cidr);
  const n = typeof ip === 'number' ? ip : ipToInt(ip);
  return n >= c.base && n < c.base + c.size;
}

/** Alias kept short for callers: contains('10.96.0.0/16', '10.96.3.4'). */
export const contains = cidrContains;

export function cidrSize(cidr: Cidr | string): number {
  return asCidr(cidr).size;
}

/** The n-th address of the range (0 = network address). Throws when n is outside it. */
export function nthIp(cidr: Cidr | string, n: number): string {
  const c = asCidr(cidr);
  if (!Number.isInteger(n) || n < 0 || n >= c.size) throw new Error(`address index ${n} is outside ${c.text} (size ${c.size})`);
  return intToIp(c.base + n);
}

/** Offset of ip inside the range, or -1 when outside. */
export function indexOf(cidr: Cidr | string, ip: string): number {
  const c = asCidr(cidr);
  const n = ipToInt(ip);
  return n >= c.base && n < c.base + c.size ? n - c.base : -1;
}

export const networkAddress = (cidr: Cidr | string): string => intToIp(asCidr(cidr).base);
export const broadcastAddress = (cidr: Cidr | string): string => {
  const c = asCidr(cidr);
  return intToIp(c.base + c.size - 1);
};

/** Number of subnets of `newPrefix` inside cidr (e.g. 256 /24s in a /16). */
export function subnetCount(cidr: Cidr | string, newPrefix: number): number {
  const c = asCidr(cidr);
  if (!Number.isInteger(newPrefix) || newPrefix < c.prefix || newPrefix > 32) {
    throw new Error(`cannot split ${c.text} into /${newPrefix} subnets: prefix must be between ${c.prefix} and 32`);
  }
  return 2 ** (newPrefix - c.prefix);
}

/** The index-th subnet of `newPrefix` inside cidr: subnet('10.244.0.0/16', 24, 3) = '10.244.3.0/24'. */
export function subnet(cidr: Cidr | string, newPrefix: number, index: number): string {
  const c = asCidr(cidr);
  const count = subnetCount(c, newPrefix);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`subnet index ${index} is outside 0-${count - 1} for /${newPrefix} in ${c.text}`);
  }
  return `${intToIp(c.base + index * 2 ** (32 - newPrefix))}/${newPrefix}`;
}

/** All subnets of `newPrefix` (use subnet() for huge counts). */
export function splitCidr(cidr: Cidr | string, newPrefix: number): string[] {
  const count = subnetCount(cidr, newPrefix);
  if (count > 65536) throw new Error(`refusing to list ${count} subnets; use subnet(cidr, prefix, index)`);
  return Array.from({ length: count }, (_, i) => subnet(cidr, newPrefix, i));
}

/** Index of `sub` among the newPrefix subnets of cidr, or -1 when it is not one of them. */
export function subnetIndex(cidr: Cidr | string, sub: string): number {
  const c = asCidr(cidr);
  const s = parseCidr(sub);
  if (s.prefix < c.prefix || !cidrContains(c, s.base)) return -1;
  return (s.base - c.base) / s.size;
}
