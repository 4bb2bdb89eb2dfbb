// Serves LogRequests from the control-plane link out of the runtime: find the pod among those
// desired for this node, pick the container instance (current or --previous), then stream the
// runtime's log (tail/since/timestamps/limitBytes/follow). A followed log ends when the container
// stops (Docker ends the stream) or when the client goes away (signal).
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../lib/logger.js';
import type { LogRequestInfo, SessionOutput } from '../apiclient/types.js';
import type { Runtime, RuntimePod } from '../runtime/runtime.js';
import { badRequest, defaultContainer, selectLogContainer } from './select.js';

export interface LogServerDeps {
  runtime: Pick<Runtime, 'logs'>;
  /** the desired pods of this node */
  pods(): KubeObject[];
  runtimePod(uid: string): Promise<RuntimePod | undefined>;
  log: Logger;
}

export async function serveLogs(deps: LogServerDeps, req: LogRequestInfo, out: SessionOutput, signal: AbortSignal): Promise<void> {
  const pod = deps.pods().find((p) => p.metadata.name === req.pod && (p.metadata.namespace ?? 'default') === req.namespace);
  if (!pod?.metadata.uid) {
    out.end(badRequest(`pods "${req.pod}" not found on this node`, 404));
    return;
  }
  const name = defaultContainer(pod, req.container);
  if (typeof name !== 'string') {
    out.end(name);
    return;
  }
  const log = deps.log.child({ pod: `${req.namespace}/${req.pod}`, uid: pod.metadata.uid, container: name });
  let stream: NodeJS.ReadableStream;
  try {
    const target = selectLogContainer(pod, await deps.runtimePod(pod.metadata.uid), name, req.previous);
    if (!target.ok) {
      out.end(target.status);
      return;
    }
    stream = await deps.runtime.logs(
      target.container.id,
      {
        // --previous never follows: that instance is gone for good
        follow: req.follow && !req.previous,
        tailLines: req.tailLines,
        sinceSeconds: req.sinceSeconds,
        sinceTime: req.sinceTime,
        timestamps: req.timestamps,
        limitBytes: req.limitBytes,
      },
      signal,
    );
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'log request failed');
    out.end(badRequest(`failed to get logs: ${(e as Error).message}`, 500));
    return;
  }
  await pump(stream, out, signal);
}

function pump(stream: NodeJS.ReadableStream, out: SessionOutput, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      out.end();
      resolve();
    };
    const onAbort = (): void => {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      finish();
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);
    stream.on('data', (b: Buffer | string) => out.write(typeof b === 'string' ? Buffer.from(b) : b));
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });
}
