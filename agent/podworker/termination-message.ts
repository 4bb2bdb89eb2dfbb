// Termination messages of exited containers, read once per container id: the file at
// terminationMessagePath, or with FallbackToLogsOnError the tail of the logs when the file is empty
// and the container failed (kubelet: last 80 lines, at most 2 KiB; files at most 4 KiB).
import type { KubeObject } from '../../api/types.js';
import type { Runtime, RuntimePod } from '../runtime/runtime.js';
import { observe } from './instances.js';

const MAX_FILE_BYTES = 4096;
const LOG_TAIL_LINES = 80;
const LOG_MAX_BYTES = 2048;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** Fill cache (containerId → message) for the pod's exited containers; drops ids no longer present. */
export async function collectTerminationMessages(runtime: Runtime, pod: KubeObject, rp: RuntimePod | undefined, cache: Map<string, string>): Promise<void> {
  const present = new Set(rp?.containers.map((c) => c.id) ?? []);
  for (const id of [...cache.keys()]) if (!present.has(id)) cache.delete(id);
  for (const c of rp?.containers ?? []) {
    if (cache.has(c.id) || observe(c).state !== 'exited') continue;
    const list: any[] = (c.kind === 'init' ? pod.spec?.initContainers : pod.spec?.containers) ?? [];
    const spec = list.find((x) => x?.name === c.containerName);
    if (!spec) continue;
    const path: string = spec.terminationMessagePath || '/dev/termination-log';
    let msg = (await runtime.readFile(c.id, path, MAX_FILE_BYTES).catch(() => undefined)) ?? '';
    if (!msg && spec.terminationMessagePolicy === 'FallbackToLogsOnError' && observe(c).exitCode !== 0) {
      try {
        const logs = await readAll(await runtime.logs(c.id, { tailLines: LOG_TAIL_LINES, limitBytes: LOG_MAX_BYTES * 4 }));
        const buf = Buffer.from(logs, 'utf8');
        msg = buf.length > LOG_MAX_BYTES ? buf.subarray(buf.length - LOG_MAX_BYTES).toString('utf8') : logs;
      } catch {
        msg = '';
      }
    }
    cache.set(c.id, msg);
  }
}
