import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../lib/clock.js';
import { WorkQueue } from '../../../lib/work-queue.js';

describe('WorkQueue', () => {
  it('dedups keys while queued and keeps FIFO order', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands one key to two workers; re-add while processing runs again after done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const k = await q.get();
    expect(k).toBe('a');
    q.add('a');
    expect(q.len()).toBe(0); // held back while 'a' is in flight
    let second: string | undefined;
    void q.get().then((x) => (second = x));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done('a');
    await Promise.resolve();
    expect(second).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('wakes a waiting worker on add', async () => {
    const q = new WorkQueue();
    const p = q.get();
    q.add('x');
    expect(await p).toBe('x');
    expect(q.isProcessing('x')).toBe(true);
  });

  it('addAfter delays; the earliest pending delay wins', async () => {
    const clock = new FakeClock(0);
    const q = new WorkQueue({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 200);
    clock.advance(49);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    clock.advance(500);
    expect(q.len()).toBe(1);
  });

  it('addRateLimited backs off exponentially per key until forget', async () => {
    const clock = new FakeClock(0);
    const q = new WorkQueue({ clock });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now();
      q.addRateLimited('k');
      for (let guard = 0; q.len() === 0 && guard < 1000; guard++) clock.advance(1);
      delays.push(clock.now() - start);
      q.done((await q.get())!);
    }
    expect(delays).toEqual([5, 10, 20, 40]);
    expect(q.numRequeues('k')).toBe(4);
    q.forget('k');
    expect(q.numRequeues('k')).toBe(0);
  });

  it('shutdown releases waiting workers and drops delayed keys', async () => {
    const clock = new FakeClock(0);
    const q = new WorkQueue({ clock });
    const p = q.get();
    q.addAfter('late', 10);
    q.shutdown();
    expect(await p).toBeUndefined();
    expect(clock.pending()).toBe(0);
    q.add('x');
    expect(await q.get()).toBeUndefined();
  });
});
