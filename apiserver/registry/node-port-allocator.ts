// NodePort allocation from the node port range (default 30000-32767), in memory like ClusterIPs:
// existing Services are marked at startup.
import { ApiError, invalid } from '../../lib/errors.js';
import { RangeBitmap } from './service-ip-allocator.js';

export interface PortAllocateContext {
  serviceName?: string;
  /** defaults to spec.ports[0].nodePort */
  field?: string;
}

/** Parse `30000-32767` (also a single port). Throws Error on bad text. */
export function parsePortRange(text: string): { base: number; size: number; text: string } {
  const m = /^\s*(\d{1,5})(?:\s*-\s*(\d{1,5}))?\s*$/.exec(text);
  if (!m) throw new Error(`invalid port range "${text}": expected FROM-TO`);
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to > 65535 || to < from) throw new Error(`invalid port range "${text}": ports must satisfy 1 <= FROM <= TO <= 65535`);
  return { base: from, size: to - from + 1, text: `${from}-${to}` };
}

export class NodePortAllocator {
  readonly range: { base: number; size: number; text: string };
  private readonly bitmap: RangeBitmap;

  constructor(range = '30000-32767', opts: { random?: () => number } = {}) {
    this.range = parsePortRange(range);
    this.bitmap = new RangeBitmap(this.range.size, () => false, opts.random);
  }

  /** Allocate `requested` exactly, or any free port. Throws ApiError Invalid / InternalError. */
  allocate(requested?: number, ctx: PortAllocateContext = {}): number {
    if (requested === undefined || requested === 0) {
      const off = this.bitmap.takeNext();
      if (off < 0) throw new ApiError('InternalError', 'Internal error occurred: failed to allocate a nodePort: range is full');
      return this.range.base + off;
    }
    const fail = (why: string): ApiError =>
      invalid('Service', ctx.serviceName ?? '', [
        { reason: 'FieldValueInvalid', field: ctx.field ?? 'spec.ports[0].nodePort', message: `Invalid value: ${requested}: ${why}` },
      ]);
    const off = this.offsetOf(requested);
    if (off < 0) throw fail(`provided port is not in the valid range. The range of valid ports is ${this.range.text}`);
    if (!this.bitmap.set(off)) throw fail('provided port is already allocated');
    return requested;
  }

  release(port: number): void {
    const off = this.offsetOf(port);
    if (off >= 0) this.bitmap.clear(off);
  }

  /** Record a port already held by a stored Service. Returns false when outside the range. */
  markAllocated(port: number): boolean {
    const off = this.offsetOf(port);
    if (off < 0) return false;
    this.bitmap.set(off);
    return true;
  }

  isAllocated(port: number): boolean {
    const off = this.offsetOf(port);
    return off >= 0 && this.bitmap.has(off);
  }

  used(): number {
    return this.bitmap.count();
  }

  private offsetOf(port: number): number {
    if (!Number.isInteger(port)) return -1;
    const off = port - this.range.base;
    return off >= 0 && off < this.range.size ? off : -1;
  }
}
