import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../lib/errors.js';
import { ServiceIpAllocator } from '../../../../apiserver/registry/service-ip-allocator.js';
import { NodePortAllocator } from '../../../../apiserver/registry/node-port-allocator.js';

function errOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected a throw');
}

describe('ServiceIpAllocator', () => {
  it('hands out distinct IPs, never network, broadcast or the .1 kubernetes address', () => {
    const a = new ServiceIpAllocator('10.96.0.0/29', { random: () => 0 });
    const got = [1, 2, 3, 4, 5].map(() => a.allocate());
    expect(got).toEqual(['10.96.0.2', '10.96.0.3', '10.96.0.4', '10.96.0.5', '10.96.0.6']);
    const full = errOf(() => a.allocate());
    expect(full.reason).toBe('InternalError');
    expect(full.message).toMatch(/range is full/);
    // .1 only when asked for
    expect(a.allocate('10.96.0.1')).toBe('10.96.0.1');
  });

  it('never hands out the cluster DNS address (.10) at random, only when asked for', () => {
    const a = new ServiceIpAllocator('10.96.0.0/28', { random: () => 0 });
    const got = Array.from({ length: 12 }, () => a.allocate());
    expect(got).not.toContain('10.96.0.10');
    expect(() => a.allocate()).toThrow(/range is full/);
    expect(a.allocate('10.96.0.10')).toBe('10.96.0.10');
  });

  it('moves its cursor so a released IP is not reused at once', () => {
    const a = new ServiceIpAllocator('10.96.0.0/24', { random: () => 0 });
    const first = a.allocate();
    a.release(first);
    expect(a.isAllocated(first)).toBe(false);
    expect(a.allocate()).not.toBe(first);
  });

  it('rejects a requested IP outside the range with the Kubernetes message', () => {
    const a = new ServiceIpAllocator('10.96.0.0/16');
    const e = errOf(() => a.allocate('10.0.0.1', { serviceName: 'web' }));
    expect(e.reason).toBe('Invalid');
    expect(e.code).toBe(422);
    expect(e.message).toBe(
      'Service "web" is invalid: spec.clusterIPs: Invalid value: "10.0.0.1": provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    );
    expect(e.details?.causes?.[0].field).toBe('spec.clusterIPs');
    expect(errOf(() => a.allocate('10.96.255.255')).message).toMatch(/not in the valid range/);
    expect(errOf(() => a.allocate('10.96.0.0')).message).toMatch(/not in the valid range/);
  });

  it('rejects an already allocated IP, including ones marked at startup', () => {
    const a = new ServiceIpAllocator('10.96.0.0/16');
    expect(a.markAllocated('10.96.0.10')).toBe(true);
    expect(a.markAllocated('192.168.0.1')).toBe(false);
    const e = errOf(() => a.allocate('10.96.0.10', { field: 'spec.clusterIP' }));
    expect(e.message).toContain('spec.clusterIP: Invalid value: "10.96.0.10": provided IP is already allocated');
    expect(a.isAllocated('10.96.0.10')).toBe(true);
    expect(a.used()).toBe(1);
  });

  it('allocates dynamically around marked IPs', () => {
    const a = new ServiceIpAllocator('10.96.0.0/29', { random: () => 0 });
    a.markAllocated('10.96.0.2');
    a.markAllocated('10.96.0.3');
    expect(a.allocate()).toBe('10.96.0.4');
  });
});

describe('NodePortAllocator', () => {
  it('allocates within 30000-32767 without duplicates', () => {
    const a = new NodePortAllocator('30000-30004', { random: () => 0 });
    const ports = [1, 2, 3, 4, 5].map(() => a.allocate());
    expect(new Set(ports).size).toBe(5);
    expect(ports.every((p) => p >= 30000 && p <= 30004)).toBe(true);
    expect(errOf(() => a.allocate()).message).toMatch(/failed to allocate a nodePort: range is full/);
    a.release(30002);
    expect(a.allocate()).toBe(30002);
  });

  it('reports out-of-range and taken ports on the right field', () => {
    const a = new NodePortAllocator();
    const e = errOf(() => a.allocate(80, { serviceName: 'web', field: 'spec.ports[1].nodePort' }));
    expect(e.message).toBe(
      'Service "web" is invalid: spec.ports[1].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    a.markAllocated(30080);
    expect(errOf(() => a.allocate(30080)).message).toContain('spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    expect(a.allocate(30081)).toBe(30081);
    expect(a.isAllocated(30081)).toBe(true);
  });

  it('rejects a bad range', () => {
    expect(() => new NodePortAllocator('32767-30000')).toThrow(/invalid port range/);
  });
});
