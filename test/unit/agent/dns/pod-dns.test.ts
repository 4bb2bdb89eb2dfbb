import { describe, expect, it } from 'vitest';
import { mergeOptions, podDnsConfig, podDnsType } from '../../../../agent/dns/pod-dns.js';
import { parseResolvConf, renderResolvConf } from '../../../../agent/dns/resolv-conf.js';

const HOST = parseResolvConf('# node\nnameserver 10.1.0.2\nnameserver 10.1.0.3\ndomain ignored.example\nsearch old.example\nsearch corp.example. lab.example\noptions rotate timeout:2\n');
const NODE = { clusterDns: '10.96.0.10', clusterDomain: 'cluster.local', hostDns: HOST };

function pod(spec: Record<string, unknown>, namespace = 'team-a') {
  return { kind: 'Pod', metadata: { name: 'p', namespace }, spec };
}

describe('resolv.conf parse and render', () => {
  it('keeps every nameserver and option, the last search line, and ignores comments and domain', () => {
    expect(HOST).toEqual({ servers: ['10.1.0.2', '10.1.0.3'], searches: ['corp.example.', 'lab.example'], options: ['rotate', 'timeout:2'] });
  });

  it('renders search, nameservers, options in resolv.conf syntax; empty parts are left out', () => {
    expect(renderResolvConf({ servers: ['10.96.0.10'], searches: ['a.b', 'c'], options: ['ndots:5'] })).toBe('search a.b c\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(renderResolvConf({ servers: [], searches: [], options: [] })).toBe('\n');
    expect(parseResolvConf(renderResolvConf(HOST))).toEqual(HOST);
  });
});

describe('podDnsConfig (kubelet GetPodDNS)', () => {
  it('ClusterFirst: only the cluster nameserver, cluster search domains before the node\'s, ndots:5', () => {
    const r = podDnsConfig(pod({}), NODE);
    expect(r.config).toEqual({
      servers: ['10.96.0.10'],
      searches: ['team-a.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
      options: ['ndots:5'],
    });
    expect(r.warnings).toEqual([]);
  });

  it('ClusterFirst on the host network behaves as Default; ClusterFirstWithHostNet uses the cluster', () => {
    expect(podDnsType(pod({ hostNetwork: true }))).toBe('Host');
    expect(podDnsConfig(pod({ hostNetwork: true }), NODE).config.servers).toEqual(['10.1.0.2', '10.1.0.3']);
    expect(podDnsType(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }))).toBe('Cluster');
    expect(podDnsConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), NODE).config.servers).toEqual(['10.96.0.10']);
  });

  it('Default: the node resolv.conf (trailing dots dropped), dnsConfig appended', () => {
    const r = podDnsConfig(pod({ dnsPolicy: 'Default', dnsConfig: { nameservers: ['10.1.0.2', '10.9.9.9'], searches: ['x.example'], options: [{ name: 'timeout', value: '5' }, { name: 'edns0' }] } }), NODE);
    expect(r.config).toEqual({ servers: ['10.1.0.2', '10.1.0.3', '10.9.9.9'], searches: ['corp.example', 'lab.example', 'x.example'], options: ['rotate', 'timeout:5', 'edns0'] });
  });

  it('None: dnsConfig alone', () => {
    const r = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['10.2.0.1'], searches: ['only.example'], options: [{ name: 'ndots', value: '1' }] } }), NODE);
    expect(r.config).toEqual({ servers: ['10.2.0.1'], searches: ['only.example'], options: ['ndots:1'] });
  });

  it('ClusterFirst merges dnsConfig: extra nameserver after the cluster one, ndots overridden in place', () => {
    const r = podDnsConfig(pod({ dnsConfig: { nameservers: ['10.2.0.1'], searches: ['svc.cluster.local', 'extra'], options: [{ name: 'ndots', value: '2' }, { name: 'single-request' }] } }), NODE);
    expect(r.config.servers).toEqual(['10.96.0.10', '10.2.0.1']);
    expect(r.config.searches).toEqual(['team-a.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example', 'extra']);
    expect(r.config.options).toEqual(['ndots:2', 'single-request']);
  });

  it('falls back to Default with a MissingClusterDNS warning when no cluster DNS is known', () => {
    const r = podDnsConfig(pod({}), { ...NODE, clusterDns: undefined });
    expect(r.config.servers).toEqual(['10.1.0.2', '10.1.0.3']);
    expect(r.warnings.map((w) => w.reason)).toEqual(['MissingClusterDNS']);
  });

  it('applies the API limits: 3 nameservers, 32 search paths, 2048 characters, no entry over 253', () => {
    const many = podDnsConfig(pod({ dnsPolicy: 'Default', dnsConfig: { nameservers: ['10.3.0.1', '10.3.0.2'] } }), NODE);
    expect(many.config.servers).toEqual(['10.1.0.2', '10.1.0.3', '10.3.0.1']);
    expect(many.warnings[0]!.message).toContain('the applied nameserver line is: 10.1.0.2 10.1.0.3 10.3.0.1');
    const searches = Array.from({ length: 40 }, (_, i) => `s${i}.example`);
    expect(podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['10.2.0.1'], searches } }), NODE).config.searches).toHaveLength(32);
    const long = Array.from({ length: 12 }, (_, i) => `${String(i).padStart(2, '0')}${'x'.repeat(198)}.example`);
    const fitted = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['10.2.0.1'], searches: [...long, 'y'.repeat(254)] } }), NODE);
    expect(fitted.config.searches.join(' ').length).toBeLessThanOrEqual(2048);
    expect(fitted.config.searches).toEqual(long.slice(0, 9));
    expect(fitted.warnings.map((w) => w.reason)).toEqual(['DNSConfigForming']);
  });

  it('mergeOptions: later values win by name, a value-less option drops the value', () => {
    expect(mergeOptions(['ndots:5', 'rotate'], [{ name: 'ndots' }, { name: 'attempts', value: '3' }])).toEqual(['ndots', 'rotate', 'attempts:3']);
  });
});
