import { describe, expect, it } from 'vitest';
import {
  broadcastAddress, cidrContains, cidrSize, indexOf, intToIp, ipToInt, networkAddress, nthIp, parseCidr, splitCidr, subnet, subnetCount, subnetIndex,
} from '../../../lib/cidr.js';

describe('cidr', () => {
  it('converts IPs to integers and back', () => {
    expect(ipToInt('10.96.0.10')).toBe(10 * 2 ** 24 + 96 * 2 ** 16 + 10);
    expect(ipToInt('255.255.255.255')).toBe(0xffffffff);
    expect(intToIp(0xffffffff)).toBe('255.255.255.255');
    expect(intToIp(ipToInt('192.168.1.7'))).toBe('192.168.1.7');
  });

  it('rejects bad addresses with clear errors', () => {
    expect(() => ipToInt('10.0.0')).toThrow('invalid IPv4 address "10.0.0"');
    expect(() => ipToInt('10.0.0.256')).toThrow(/invalid IPv4/);
    expect(() => ipToInt('10.0.0.01')).toThrow(/invalid IPv4/);
    expect(() => intToIp(-1)).toThrow(/out of range/);
  });

  it('parses CIDRs and refuses host bits or bad prefixes', () => {
    expect(parseCidr('10.96.0.0/16')).toMatchObject({ prefix: 16, size: 65536, text: '10.96.0.0/16' });
    expect(() => parseCidr('10.96.0.1/16')).toThrow('host bits are set (did you mean 10.96.0.0/16?)');
    expect(() => parseCidr('10.96.0.0/33')).toThrow(/prefix length/);
    expect(() => parseCidr('10.96.0.0')).toThrow(/expected a.b.c.d\/prefix/);
    expect(() => parseCidr('x.96.0.0/8')).toThrow(/not an IPv4 address/);
  });

  it('answers containment, size, nth and offsets', () => {
    expect(cidrContains('10.96.0.0/16', '10.96.255.255')).toBe(true);
    expect(cidrContains('10.96.0.0/16', '10.97.0.0')).toBe(false);
    expect(cidrSize('10.0.0.0/24')).toBe(256);
    expect(nthIp('10.96.0.0/16', 1)).toBe('10.96.0.1');
    expect(nthIp('10.96.0.0/16', 256)).toBe('10.96.1.0');
    expect(() => nthIp('10.0.0.0/24', 256)).toThrow(/outside 10.0.0.0\/24/);
    expect(indexOf('10.0.0.0/24', '10.0.0.9')).toBe(9);
    expect(indexOf('10.0.0.0/24', '10.0.1.9')).toBe(-1);
    expect(networkAddress('10.0.0.0/24')).toBe('10.0.0.0');
    expect(broadcastAddress('10.0.0.0/24')).toBe('10.0.0.255');
    expect(cidrContains('0.0.0.0/0', '1.2.3.4')).toBe(true);
  });

  it('splits a /16 into /24 podCIDRs', () => {
    expect(subnetCount('10.244.0.0/16', 24)).toBe(256);
    expect(subnet('10.244.0.0/16', 24, 0)).toBe('10.244.0.0/24');
    expect(subnet('10.244.0.0/16', 24, 255)).toBe('10.244.255.0/24');
    expect(() => subnet('10.244.0.0/16', 24, 256)).toThrow(/outside 0-255/);
    expect(() => subnetCount('10.244.0.0/16', 8)).toThrow(/prefix must be between 16 and 32/);
    expect(splitCidr('10.0.0.0/23', 24)).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
    expect(subnetIndex('10.244.0.0/16', '10.244.7.0/24')).toBe(7);
    expect(subnetIndex('10.244.0.0/16', '10.245.7.0/24')).toBe(-1);
  });
});
