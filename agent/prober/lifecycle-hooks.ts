// Lifecycle hooks as the kubelet's handlerRunner runs them: exec in the container, httpGet to the pod
// (only a transport error fails it; the status code is not looked at), sleep. tcpSocket is accepted
// by validation for compatibility but, as in Kubernetes, fails at runtime.
import type { KubeObject } from '../../api/types.js';
import { sleep } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { podDesc } from '../podworker/instances.js';
import type { LifecycleHooks } from '../podworker/sync-types.js';
import type { Runtime } from '../runtime/runtime.js';
import { httpGet, httpRequestSpec } from './handlers/http.js';
import { errText } from './handlers/types.js';

/**
 * The kubelet gives postStart no deadline; a hung hook would hold the pod worker forever, so it
 * gets this one (then it fails like any other).
 */
export const POST_START_TIMEOUT_MS = 120_000;

export interface HookContext {
  pod: KubeObject;
  container: any;
  containerId: string;
  podIp?: string;
  timeoutMs: number;
}

/** Run one handler; throws with the kubelet's message when it fails. */
export async function runHook(runtime: Pick<Runtime, 'exec'>, h: any, ctx: HookContext, signal?: AbortSignal): Promise<void> {
  const where = `for Container ${JSON.stringify(ctx.container?.name)} in Pod ${JSON.stringify(podDesc(ctx.pod))}`;
  if (h?.exec) {
    const cmd: string[] = h.exec.command ?? [];
    let r;
    try {
      r = await runtime.exec(ctx.containerId, cmd, ctx.timeoutMs, signal);
    } catch (e) {
      throw new Error(`Exec lifecycle hook (${goList(cmd)}) ${where} failed - error: ${errText(e)}, message: ""`);
    }
    if (r.timedOut) throw new Error(`Exec lifecycle hook (${goList(cmd)}) ${where} failed - error: command '${cmd.join(' ')}' timed out, message: ${JSON.stringify(r.output)}`);
    if (r.exitCode !== 0) throw new Error(`Exec lifecycle hook (${goList(cmd)}) ${where} failed - error: command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.output}, message: ${JSON.stringify(r.output)}`);
    return;
  }
  if (h?.httpGet) {
    try {
      await httpGet(httpRequestSpec(h.httpGet, { podIp: ctx.podIp ?? '', containerId: ctx.containerId, container: ctx.container }), ctx.timeoutMs, signal);
    } catch (e) {
      throw new Error(`HTTP lifecycle hook (${h.httpGet.path ?? '/'}) ${where} failed - error: ${errText(e)}`);
    }
    return;
  }
  if (h?.sleep) {
    const ms = Math.min(Math.max(0, Number(h.sleep.seconds) || 0) * 1000, ctx.timeoutMs);
    await sleep(ms, signal);
    return;
  }
  throw new Error(`invalid handler: ${JSON.stringify(h ?? {})}`);
}

/** Go's %v of a []string: "[sh -c exit 1]" */
const goList = (xs: string[]): string => `[${xs.join(' ')}]`;

export class HookRunner implements LifecycleHooks {
  constructor(private readonly opts: { runtime: Pick<Runtime, 'exec'>; log: Logger }) {}

  async postStart(pod: KubeObject, container: any, containerId: string, signal?: AbortSignal, podIp?: string): Promise<void> {
    const h = container?.lifecycle?.postStart;
    if (!h) return;
    const t0 = Date.now();
    await runHook(this.opts.runtime, h, { pod, container, containerId, podIp, timeoutMs: POST_START_TIMEOUT_MS }, signal);
    this.opts.log.debug({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, container: container.name, ms: Date.now() - t0 }, 'postStart hook done');
  }

  async preStop(pod: KubeObject, container: any, containerId: string, graceSeconds: number, signal?: AbortSignal, podIp?: string): Promise<void> {
    const h = container?.lifecycle?.preStop;
    if (!h) return;
    // the hook may use the whole grace; a stuck one is cut off there and the stop signal follows
    await runHook(this.opts.runtime, h, { pod, container, containerId, podIp, timeoutMs: graceSeconds * 1000 }, signal);
  }
}
