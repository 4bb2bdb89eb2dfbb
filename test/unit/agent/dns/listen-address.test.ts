import { describe, expect, it } from 'vitest';
import { ensureListenAddress, type IpRunner } from '../../../../agent/dns/listen-address.js';
import { dnsSettings } from '../../../../agent/dns/node-dns.js';
import { parseUpstream } from '../../../../agent/dns/upstream.js';

/** Records `ip` calls; `fail` maps an argv prefix to the stderr it fails with. */
function fakeIp(fail: Record<string, string> = {}): IpRunner & { calls: string[] } {
  const calls: string[] = [];
  const run = (async (args: string[]) => {
    const line = args.join(' ');
    calls.push(line);
    const hit = Object.keys(fail).find((k) => line.startsWith(k));
    return hit ? { exitCode: 2, stderr: fail[hit]! } : { exitCode: 0, stderr: '' };
  }) as IpRunner & { calls: string[] };
  run.calls = calls;
  return run;
}

describe('ensureListenAddress', () => {
  it('creates the port-less bridge when absent, brings it up and adds the /32', async () => {
    const ip = fakeIp({ '-o link show': 'Device "kinglet0" does not exist.' });
    await ensureListenAddress('10.96.0.10', ip);
    expect(ip.calls).toEqual(['-o link show dev kinglet0', 'link add kinglet0 type bridge', 'link set kinglet0 up', 'addr replace 10.96.0.10/32 dev kinglet0']);
  });

  it('reuses an existing bridge, tolerates a concurrent creator, and reports real failures', async () => {
    const ip = fakeIp();
    await ensureListenAddress('10.96.0.10', ip);
    expect(ip.calls).toEqual(['-o link show dev kinglet0', 'link set kinglet0 up', 'addr replace 10.96.0.10/32 dev kinglet0']);
    await ensureListenAddress('10.96.0.10', fakeIp({ '-o link show': 'nope', 'link add': 'RTNETLINK answers: File exists' }));
    await expect(ensureListenAddress('10.96.0.10', fakeIp({ 'addr replace': 'RTNETLINK answers: Operation not permitted' }))).rejects.toThrow(/Operation not permitted/);
  });
});

describe('DNS flags', () => {
  it('parses upstreams as IP, IP:PORT and [IPv6]:PORT, rejecting the rest', () => {
    expect(parseUpstream('10.1.0.2')).toEqual({ host: '10.1.0.2', port: 53 });
    expect(parseUpstream('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(parseUpstream('[::1]:5353')).toEqual({ host: '::1', port: 5353 });
    expect(parseUpstream('fd00::53')).toEqual({ host: 'fd00::53', port: 53 });
    for (const bad of ['dns.example', '10.1.0.2:0', '10.1.0.2:70000', '']) expect(() => parseUpstream(bad), bad).toThrow(/invalid DNS upstream/);
  });

  it('defaults to on, the cluster DNS IP and the node resolv.conf; "none" means no forwarding', () => {
    expect(dnsSettings(undefined, undefined, undefined)).toEqual({ enabled: true });
    expect(dnsSettings(false, '127.0.0.1:5353', ['none'])).toEqual({ enabled: false, listen: { host: '127.0.0.1', port: 5353 }, upstreams: [] });
    expect(dnsSettings(true, '127.0.0.1:0', undefined).listen).toEqual({ host: '127.0.0.1', port: 0 });
    expect(() => dnsSettings(true, 'localhost:53', undefined)).toThrow(/invalid DNS listen address/);
    expect(dnsSettings(true, undefined, ['10.1.0.2', '10.1.0.3:5300'])).toEqual({ enabled: true, upstreams: [{ host: '10.1.0.2', port: 53 }, { host: '10.1.0.3', port: 5300 }] });
  });
});
