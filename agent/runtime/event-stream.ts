// Keeps a Docker events subscription alive: reads JSON lines, reconnects with backoff when the
// stream ends or fails (dockerd restart), and resumes from the last event time so little is lost.
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../lib/logger.js';

export interface DockerEvent {
  Type?: string;
  Action?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
}

/** Opens the stream; `since` (unix seconds) replays events missed while disconnected. */
export type OpenEvents = (signal: AbortSignal, since?: number) => Promise<Readable>;

export function followEvents(open: OpenEvents, onEvent: (ev: DockerEvent) => void, log: Logger, maxBackoffMs = 10_000): () => void {
  const ac = new AbortController();
  const { signal } = ac;
  let since: number | undefined;
  const readAll = (stream: Readable): Promise<void> =>
    new Promise((resolve) => {
      let buf = '';
      const stop = (): void => {
        stream.destroy();
        resolve();
      };
      signal.addEventListener('abort', stop, { once: true });
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          try {
            const ev = JSON.parse(line) as DockerEvent;
            if (typeof ev.time === 'number') since = ev.time;
            onEvent(ev);
          } catch (e) {
            log.warn({ err: e }, 'bad docker event line');
          }
        }
      });
      const done = (): void => {
        signal.removeEventListener('abort', stop);
        resolve();
      };
      stream.on('end', done);
      stream.on('close', done);
      stream.on('error', done);
    });

  void (async () => {
    let backoff = 250;
    while (!signal.aborted) {
      try {
        const stream = await open(signal, since);
        backoff = 250;
        await readAll(stream);
      } catch (e) {
        if (signal.aborted) break;
        log.warn({ err: e }, 'docker events stream failed');
      }
      if (signal.aborted) break;
      await sleep(backoff, undefined, { signal }).catch(() => undefined);
      backoff = Math.min(backoff * 2, maxBackoffMs);
    }
  })();
  return () => ac.abort();
}
