import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BridgeHairpin, type BridgePort } from '../../../../agent/network/hairpin.js';

function fakeIp(ports: BridgePort[]) {
  const calls: string[][] = [];
  let fail = false;
  return {
    calls,
    failNext: () => (fail = true),
    ip: {
      bridgePorts: async () => ports.map((p) => ({ ...p })),
      setHairpin: async (names: string[]) => {
        await new Promise((r) => setTimeout(r, 5));
        if (fail) {
          fail = false;
          throw new Error('Cannot find device');
        }
        calls.push(names);
        for (const p of ports) if (names.includes(p.name)) p.hairpin = true;
      },
    },
  };
}

describe('BridgeHairpin', () => {
  it('switches on only the ports that are off; kicks during a run become one more run', async () => {
    const ports = [{ name: 'veth1', hairpin: true }, { name: 'veth2', hairpin: false }];
    const f = fakeIp(ports);
    const hp = new BridgeHairpin('kp0', f.ip, pino({ level: 'silent' }));
    hp.kick();
    ports.push({ name: 'veth3', hairpin: false });
    for (let i = 0; i < 5; i++) hp.kick();
    await hp.settled();
    // the first run listed before veth3 came; five kicks during it were one more run
    expect(f.calls).toEqual([['veth2'], ['veth3']]);
    hp.kick();
    await hp.settled();
    expect(f.calls).toHaveLength(2);
  });

  it('a failure is logged, not thrown, and the next kick retries', async () => {
    const f = fakeIp([{ name: 'veth9', hairpin: false }]);
    const hp = new BridgeHairpin('kp0', f.ip, pino({ level: 'silent' }));
    f.failNext();
    hp.kick();
    await hp.settled();
    expect(f.calls).toEqual([]);
    hp.kick();
    await hp.settled();
    expect(f.calls).toEqual([['veth9']]);
  });
});
