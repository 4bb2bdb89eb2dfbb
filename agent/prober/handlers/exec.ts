// exec probe: the command runs inside the container through the runtime, bounded by timeoutSeconds.
// Exit 0 is success; the output (trimmed, as the kubelet does) goes into the event.
import type { Runtime } from '../../runtime/runtime.js';
import { errText, type ProbeOutcome, type ProbeTarget } from './types.js';

export async function execProbe(runtime: Pick<Runtime, 'exec'>, h: any, target: ProbeTarget, timeoutMs: number, signal?: AbortSignal): Promise<ProbeOutcome> {
  const cmd: string[] = h?.command ?? [];
  try {
    const r = await runtime.exec(target.containerId, cmd, timeoutMs, signal);
    if (r.timedOut) return { result: 'failure', output: `command ${JSON.stringify(cmd.join(' '))} timed out` };
    return { result: r.exitCode === 0 ? 'success' : 'failure', output: r.output.trim() };
  } catch (e) {
    return { result: 'failure', output: errText(e) };
  }
}
