import { describe, expect, it } from 'vitest';
import { agentConfig, defaultNodeIp, podNetworkSpec } from '../../../agent/config.js';

describe('agent config', () => {
  it('validates the fixed flags and fills defaults', () => {
    const cfg = agentConfig({ server: 'https://127.0.0.1:6443', nodeName: 'Node-1', dataDir: '/tmp/x', nodeIp: '10.0.0.5' });
    expect(cfg).toMatchObject({ nodeName: 'node-1', dockerHost: 'unix:///var/run/docker.sock', nodeIp: '10.0.0.5', token: undefined, proxy: true });
    expect(agentConfig({ server: 'https://127.0.0.1:6443', dataDir: '/tmp/x', proxy: false }).proxy).toBe(false);
    expect(() => agentConfig({ server: 'http://x', dataDir: '/tmp' })).toThrow(/https/);
    expect(() => agentConfig({ server: 'https://x:1', dataDir: '/tmp', dockerHost: 'tcp://1.2.3.4' })).toThrow(/unix/);
  });
  it('pod network: subnet in the name, gateway .1, a short bridge name unique per daemon', () => {
    const a = podNetworkSpec('10.244.3.0/24', 'unix:///a.sock');
    const b = podNetworkSpec('10.244.3.0/24', 'unix:///b.sock');
    expect(a).toMatchObject({ name: 'kinglet-pods-10.244.3.0-24', subnet: '10.244.3.0/24', gateway: '10.244.3.1' });
    expect(a.bridge).toMatch(/^kp[0-9a-f]{10}$/);
    expect(a.bridge.length).toBeLessThanOrEqual(15);
    expect(b.bridge).not.toBe(a.bridge);
  });
  it('pod network mode: host-gw by default, none on a loopback node IP, host-gw there refused', () => {
    const base = { server: 'https://127.0.0.1:6443', nodeName: 'n1', dataDir: '/tmp/x' };
    expect(agentConfig({ ...base, nodeIp: '10.240.7.11' }).podNetwork).toBe('host-gw');
    expect(agentConfig({ ...base, nodeIp: '127.0.0.1' }).podNetwork).toBe('none');
    expect(agentConfig({ ...base, nodeIp: '10.240.7.11', podNetwork: 'none' }).podNetwork).toBe('none');
    expect(() => agentConfig({ ...base, nodeIp: '127.0.0.1', podNetwork: 'host-gw' })).toThrow(/routable --node-ip/);
    expect(() => agentConfig({ ...base, nodeIp: '10.240.7.11', podNetwork: 'flannel' })).toThrow(/host-gw or none/);
  });
  it('default node IP skips internal interfaces', () => {
    expect(defaultNodeIp({ lo: [{ family: 'IPv4', internal: true, address: '127.0.0.1' } as any], eth0: [{ family: 'IPv4', internal: false, address: '192.0.2.7' } as any] })).toBe('192.0.2.7');
    expect(defaultNodeIp({})).toBe('127.0.0.1');
  });
});
