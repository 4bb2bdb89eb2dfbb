import { describe, expect, it } from 'vitest';
import { KeyedChain } from '../../../lib/keyed-chain.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('KeyedChain', () => {
  it('runs one key in order, other keys concurrently', async () => {
    const log: string[] = [];
    const chain = new KeyedChain(() => undefined);
    let releaseA!: () => void;
    const gateA = new Promise<void>((r) => (releaseA = r));
    chain.run('a', async () => {
      log.push('a1 start');
      await gateA;
      log.push('a1 end');
    });
    chain.run('a', async () => void log.push('a2'));
    chain.run('b', async () => void log.push('b1'));
    await tick();
    // b did not wait for a; a2 waits for a1
    expect(log).toEqual(['a1 start', 'b1']);
    releaseA();
    await chain.idle();
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    expect(chain.size).toBe(0);
  });

  it('a failing task is reported and the next one of its key still runs', async () => {
    const errors: string[] = [];
    const chain = new KeyedChain((e, key) => errors.push(`${key}: ${(e as Error).message}`));
    const ran: string[] = [];
    chain.run('k', async () => {
      throw new Error('boom');
    });
    chain.run('k', async () => void ran.push('after'));
    await chain.idle();
    expect(errors).toEqual(['k: boom']);
    expect(ran).toEqual(['after']);
  });

  it('idle() also waits for work queued while waiting', async () => {
    const chain = new KeyedChain(() => undefined);
    const ran: string[] = [];
    chain.run('x', async () => {
      await tick();
      chain.run('y', async () => {
        await tick();
        ran.push('y');
      });
    });
    await chain.idle();
    expect(ran).toEqual(['y']);
  });
});
