import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HookRunner, runHook } from '../../../../agent/prober/lifecycle-hooks.js';
import type { ExecResult } from '../../../../agent/runtime/runtime.js';
import { makePod } from '../podworker/helpers.js';

const pod = makePod();
const container = { name: 'app' };
const ctx = { pod, container, containerId: 'c1', podIp: '10.0.0.1', timeoutMs: 1000 };
const runtime = (r: ExecResult) => {
  const calls: string[] = [];
  return { calls, exec: async (id: string, cmd: string[], t: number) => (calls.push(`${id} ${cmd.join(' ')} ${t}`), r) };
};

describe('lifecycle hooks', () => {
  it('exec: success is quiet, a non-zero exit throws the kubelet message', async () => {
    const ok = runtime({ exitCode: 0, output: '', timedOut: false });
    await runHook(ok, { exec: { command: ['touch', '/x'] } }, ctx);
    expect(ok.calls).toEqual(['c1 touch /x 1000']);
    await expect(runHook(runtime({ exitCode: 3, output: 'nope', timedOut: false }), { exec: { command: ['sh', '-c', 'exit 3'] } }, ctx)).rejects.toThrow(
      'Exec lifecycle hook ([sh -c exit 3]) for Container "app" in Pod "web_default(uid-1)" failed - error: command \'sh -c exit 3\' exited with 3: nope, message: "nope"',
    );
  });

  it('sleep waits (capped by the grace); tcpSocket and nothing are invalid handlers', async () => {
    const t0 = Date.now();
    await runHook(runtime({ exitCode: 0, output: '', timedOut: false }), { sleep: { seconds: 30 } }, { ...ctx, timeoutMs: 150 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await expect(runHook(runtime({ exitCode: 0, output: '', timedOut: false }), { tcpSocket: { port: 80 } }, ctx)).rejects.toThrow(/^invalid handler/);
  });

  it('preStop gets the grace as its deadline; containers without the hook are not touched', async () => {
    const rt = runtime({ exitCode: 0, output: '', timedOut: false });
    const hooks = new HookRunner({ runtime: rt, log: pino({ level: 'silent' }) });
    await hooks.preStop(pod, { name: 'app', lifecycle: { preStop: { exec: { command: ['bye'] } } } }, 'c1', 12);
    await hooks.postStart(pod, { name: 'plain' }, 'c2');
    expect(rt.calls).toEqual(['c1 bye 12000']);
  });
});
