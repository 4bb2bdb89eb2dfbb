// Reads Docker's pull progress stream (one JSON object per line). A failed pull can still answer
// HTTP 200 and report the failure as an {"error": ...} line, so the stream must be read to the end.
import type { Readable } from 'node:stream';

export interface ProgressEvent {
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** The error text of a progress event, if it is an error event. */
export function progressError(ev: ProgressEvent): string | undefined {
  return ev.errorDetail?.message || ev.error || undefined;
}

/**
 * Consume the stream; resolve with the first error message seen (undefined on success). Malformed
 * lines are ignored rather than thrown from inside a stream callback.
 */
export function consumeProgress(stream: Readable, onEvent?: (ev: ProgressEvent) => void): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let error: string | undefined;
    const line = (l: string): void => {
      const t = l.trim();
      if (!t) return;
      let ev: ProgressEvent;
      try {
        ev = JSON.parse(t) as ProgressEvent;
      } catch {
        return;
      }
      error ??= progressError(ev);
      onEvent?.(ev);
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        line(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    stream.on('end', () => {
      line(buf);
      resolve(error);
    });
    stream.on('error', reject);
  });
}
