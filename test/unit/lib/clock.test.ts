import { describe, expect, it } from 'vitest';
import { FakeClock, sleep } from '../../../lib/clock.js';

describe('FakeClock', () => {
  it('fires due timers in time order, including ones scheduled by timers', () => {
    const c = new FakeClock(0);
    const fired: string[] = [];
    c.setTimeout(() => fired.push('b'), 20);
    c.setTimeout(() => {
      fired.push('a');
      c.setTimeout(() => fired.push('a2'), 5);
    }, 10);
    const h = c.setTimeout(() => fired.push('never'), 15);
    c.clearTimeout(h);
    c.advance(19);
    expect(fired).toEqual(['a', 'a2']);
    expect(c.now()).toBe(19);
    c.advance(1);
    expect(fired).toEqual(['a', 'a2', 'b']);
    expect(c.pending()).toBe(0);
  });

  it('sleep resolves on advance and rejects on abort', async () => {
    const c = new FakeClock(0);
    const p = sleep(10, undefined, c);
    c.advance(10);
    await expect(p).resolves.toBeUndefined();
    const ac = new AbortController();
    const q = sleep(10, ac.signal, c);
    ac.abort(new Error('stop'));
    await expect(q).rejects.toThrow('stop');
    expect(c.pending()).toBe(0);
  });
});
