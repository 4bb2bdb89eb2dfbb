// Hairpin mode on a real bridge in a throwaway namespace: the ports come back with their mode, new
// ports are switched on (and only those), a missing bridge is no error. Root only; under the lock.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeHairpin } from '../../../agent/network/hairpin.js';
import { ExecIpNet } from '../../../agent/network/ip.js';
import { logger } from '../../../lib/logger.js';

const root = process.getuid?.() === 0;
const NS = `kl-t${randomBytes(3).toString('hex')}-h`;
const ip = (...args: string[]): string => execFileSync('ip', ['-n', NS, ...args], { encoding: 'utf8' });

describe.skipIf(!root)('bridge hairpin mode in a real namespace', () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NS]);
    ip('link', 'add', 'kpbr', 'type', 'bridge');
    for (const v of ['va', 'vb']) {
      ip('link', 'add', v, 'type', 'veth', 'peer', 'name', `${v}-peer`);
      ip('link', 'set', v, 'master', 'kpbr');
    }
  });
  afterAll(() => execFileSync('ip', ['netns', 'del', NS]));

  it('switches on every port of the pod bridge, then new ports only', async () => {
    const net = new ExecIpNet({ netns: NS });
    expect(await net.bridgePorts('kpbr')).toEqual([{ name: 'va', hairpin: false }, { name: 'vb', hairpin: false }]);
    expect(await net.bridgePorts('nosuchbr')).toEqual([]);
    const seen: string[][] = [];
    const hp = new BridgeHairpin('kpbr', { bridgePorts: (b) => net.bridgePorts(b), setHairpin: (p) => (seen.push(p), net.setHairpin(p)) }, logger('test'));
    hp.kick();
    await hp.settled();
    expect(await net.bridgePorts('kpbr')).toEqual([{ name: 'va', hairpin: true }, { name: 'vb', hairpin: true }]);
    ip('link', 'add', 'vc', 'type', 'veth', 'peer', 'name', 'vc-peer');
    ip('link', 'set', 'vc', 'master', 'kpbr');
    hp.kick();
    await hp.settled();
    expect(seen).toEqual([['va', 'vb'], ['vc']]);
    expect(ip('-d', 'link', 'show', 'vc')).toMatch(/hairpin on/);
  });
});
