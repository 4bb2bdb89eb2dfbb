import { describe, expect, it } from 'vitest';
import { execProbe } from '../../../../agent/prober/handlers/exec.js';
import { Limiter } from '../../../../agent/prober/handlers/limiter.js';
import type { ExecResult } from '../../../../agent/runtime/runtime.js';

const target = { podIp: '10.0.0.1', containerId: 'c1', container: { name: 'app' } };

describe('exec probe and its limiter', () => {
  it('exit code, trimmed output, runtime errors', async () => {
    const rt = (r: ExecResult | Error) => ({ exec: async () => (r instanceof Error ? Promise.reject(r) : r) });
    expect(await execProbe(rt({ exitCode: 0, output: 'ok\n', timedOut: false }), { command: ['true'] }, target, 1000)).toEqual({ result: 'success', output: 'ok' });
    expect(await execProbe(rt({ exitCode: 2, output: ' no\n', timedOut: false }), { command: ['false'] }, target, 1000)).toEqual({ result: 'failure', output: 'no' });
    expect(await execProbe(rt(new Error('container gone')), { command: ['x'] }, target, 1000)).toEqual({ result: 'failure', output: 'container gone' });
  });

  it('the timeout bounds the whole runtime call and aborts it', async () => {
    let aborted = false;
    const slow = {
      exec: (_id: string, _cmd: string[], _t: number, signal?: AbortSignal) =>
        new Promise<ExecResult>((_r, reject) => signal?.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted'))))),
    };
    const t0 = Date.now();
    expect(await execProbe(slow, { command: ['sleep', '9'] }, target, 100)).toEqual({ result: 'failure', output: 'command "sleep 9" timed out' });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(aborted).toBe(true);
  });

  it('the limiter runs at most max at once, in order; an aborted waiter leaves the queue', async () => {
    const l = new Limiter(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const job = (i: number) => async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 10));
      order.push(i);
      active--;
      return i;
    };
    const ac = new AbortController();
    const runs = [0, 1, 2, 3].map((i) => l.run(job(i), i === 3 ? ac.signal : undefined));
    expect(l.queued()).toBe(2);
    ac.abort(new Error('gone'));
    expect(l.queued()).toBe(1);
    const res = await Promise.allSettled(runs);
    expect(res.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2]);
  });
});
