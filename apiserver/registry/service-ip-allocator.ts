// ClusterIP allocation from the service CIDR. State lives in memory: at startup the caller marks the
// IPs of existing Services (markAllocated), so the store stays the only source of truth.
import { ApiError, invalid } from '../../lib/errors.js';
import { cidrContains, intToIp, ipToInt, isIPv4, parseCidr, type Cidr } from '../../lib/cidr.js';

/**
 * A bitmap over offsets 0..size-1 with a moving cursor: a new allocation scans forward from where
 * the last one ended, so typical allocation is O(1) and freed values are not reused at once
 * (a just-deleted Service's IP may still sit in some proxy's rules).
 */
export class RangeBitmap {
  private readonly bits: Uint8Array;
  private cursor: number;
  private used = 0;

  constructor(
    readonly size: number,
    private readonly reservedForDynamic: (offset: number) => boolean,
    random: () => number = Math.random,
  ) {
    this.bits = new Uint8Array(size);
    this.cursor = Math.floor(random() * size) % Math.max(size, 1);
  }

  has(offset: number): boolean {
    return this.bits[offset] === 1;
  }

  set(offset: number): boolean {
    if (this.bits[offset] === 1) return false;
    this.bits[offset] = 1;
    this.used++;
    return true;
  }

  clear(offset: number): void {
    if (this.bits[offset] === 1) {
      this.bits[offset] = 0;
      this.used--;
    }
  }

  count(): number {
    return this.used;
  }

  /** The next free, non-reserved offset at or after the cursor (wrapping), or -1 when full. */
  takeNext(): number {
    for (let i = 0; i < this.size; i++) {
      const off = (this.cursor + i) % this.size;
      if (this.bits[off] === 0 && !this.reservedForDynamic(off)) {
        this.bits[off] = 1;
        this.used++;
        this.cursor = (off + 1) % this.size;
        return off;
      }
    }
    return -1;
  }
}

export interface AllocateContext {
  /** the Service name, for the error message (`Service "web" is invalid: ...`) */
  serviceName?: string;
  /** the field path reported; defaults to spec.clusterIPs */
  field?: string;
}

/** the cluster DNS IP is this offset into the service CIDR (as kubeadm's default 10.96.0.10) */
export const CLUSTER_DNS_OFFSET = 10;

export class ServiceIpAllocator {
  readonly cidr: Cidr;
  private readonly bitmap: RangeBitmap;

  constructor(cidr: string, opts: { random?: () => number } = {}) {
    this.cidr = parseCidr(cidr);
    if (this.cidr.prefix < 12) throw new Error(`service CIDR ${this.cidr.text} is too large: the prefix must be /12 or longer`);
    const last = this.cidr.size - 1;
    // Network and broadcast are never handed out; offset 1 is the `kubernetes` Service's address and
    // offset 10 the cluster DNS address every agent serves (apiserver/agents/join.ts): both only go
    // to whoever asks for them by IP, so a random Service can never capture pods' DNS traffic.
    this.bitmap = new RangeBitmap(this.cidr.size, (off) => off === 0 || off === 1 || off === CLUSTER_DNS_OFFSET || (off === last && this.cidr.size > 2), opts.random);
  }

  /** Allocate `requested` exactly, or any free IP. Throws ApiError Invalid / InternalError. */
  allocate(requested?: string, ctx: AllocateContext = {}): string {
    if (requested === undefined || requested === '') {
      const off = this.bitmap.takeNext();
      if (off < 0) throw new ApiError('InternalError', 'Internal error occurred: failed to allocate a serviceIP: range is full');
      return intToIp(this.cidr.base + off);
    }
    const fail = (why: string): ApiError =>
      invalid('Service', ctx.serviceName ?? '', [
        { reason: 'FieldValueInvalid', field: ctx.field ?? 'spec.clusterIPs', message: `Invalid value: "${requested}": ${why}` },
      ]);
    if (!isIPv4(requested)) throw fail('must be a valid IP address');
    const off = this.offsetOf(requested);
    if (off < 0 || off === 0 || (off === this.cidr.size - 1 && this.cidr.size > 2)) {
      throw fail(`provided IP is not in the valid range. The range of valid IPs is ${this.cidr.text}`);
    }
    if (!this.bitmap.set(off)) throw fail('provided IP is already allocated');
    return requested;
  }

  release(ip: string): void {
    const off = isIPv4(ip) ? this.offsetOf(ip) : -1;
    if (off >= 0) this.bitmap.clear(off);
  }

  /** Record an IP already held by a stored Service. Returns false when it is outside the range. */
  markAllocated(ip: string): boolean {
    const off = isIPv4(ip) ? this.offsetOf(ip) : -1;
    if (off < 0) return false;
    this.bitmap.set(off);
    return true;
  }

  isAllocated(ip: string): boolean {
    const off = isIPv4(ip) ? this.offsetOf(ip) : -1;
    return off >= 0 && this.bitmap.has(off);
  }

  /** How many IPs are allocated (including explicitly requested ones). */
  used(): number {
    return this.bitmap.count();
  }

  private offsetOf(ip: string): number {
    return cidrContains(this.cidr, ip) ? ipToInt(ip) - this.cidr.base : -1;
  }
}
