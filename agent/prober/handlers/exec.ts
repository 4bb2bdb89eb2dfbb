// exec probe: the command runs inside the container through the runtime. timeoutSeconds bounds the
// whole runtime call (create, start, output), not only the output, so a busy engine cannot hold a
// worker past its period. Exit 0 is success; the output (trimmed, as the kubelet does) goes into
// the event.
import type { Runtime } from '../../runtime/runtime.js';
import { errText, type ProbeOutcome, type ProbeTarget } from './types.js';

export async function execProbe(runtime: Pick<Runtime, 'exec'>, h: any, target: ProbeTarget, timeoutMs: number, signal?: AbortSignal): Promise<ProbeOutcome> {
  const cmd: string[] = h?.command ?? [];
  const timedOut: ProbeOutcome = { result: 'failure', output: `command ${JSON.stringify(cmd.join(' '))} timed out` };
  const ac = new AbortController();
  const onAbort = (): void => ac.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<ProbeOutcome>((resolve) => {
    timer = setTimeout(() => {
      ac.abort(new Error('exec probe timed out'));
      resolve(timedOut);
    }, timeoutMs);
  });
  const run = runtime.exec(target.containerId, cmd, timeoutMs, ac.signal).then(
    (r): ProbeOutcome => (r.timedOut ? timedOut : { result: r.exitCode === 0 ? 'success' : 'failure', output: r.output.trim() }),
    (e): ProbeOutcome => (ac.signal.aborted ? timedOut : { result: 'failure', output: errText(e) }),
  );
  try {
    return await Promise.race([run, deadline]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
