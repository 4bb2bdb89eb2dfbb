// Stream plumbing for exec, logs and archive reads, on plain Node streams (docker-runtime.ts hands
// in what dockerode returned): bounded collection, timeouts, and teardown that reaches the source.
import { PassThrough, pipeline, type Readable } from 'node:stream';
import type { Logger } from '../../lib/logger.js';
import { DemuxTransform, LimitTransform } from './stream-demux.js';

/** Demux a hijacked exec stream, keep the first `limit` bytes; destroy it after `timeoutMs`. */
export function collectExecOutput(stream: Readable, limit: number, timeoutMs: number): Promise<{ output: string; timedOut: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve) => {
    const demux = new DemuxTransform();
    const finish = (timedOut: boolean): void => {
      clearTimeout(timer);
      if (timedOut) stream.destroy();
      resolve({ output: Buffer.concat(chunks).toString('utf8'), timedOut });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    demux.on('data', (b: Buffer) => {
      if (size >= limit) return; // keep draining so the process is not blocked on a full pipe
      const part = b.subarray(0, limit - size);
      chunks.push(part);
      size += part.length;
    });
    demux.on('end', () => finish(false));
    stream.on('error', () => finish(false));
    stream.pipe(demux);
  });
}

/** Read at most about `budget` bytes, then stop reading (the source is destroyed). */
export function readBounded(stream: Readable, budget: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    const done = (): void => resolve(Buffer.concat(chunks));
    stream.on('data', (b: Buffer) => {
      chunks.push(b);
      size += b.length;
      if (size >= budget) {
        stream.destroy();
        done();
      }
    });
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', reject);
  });
}

/**
 * A followed log stream: demuxed unless the container has a TTY, optionally cut at `limit` bytes.
 * Destroying the returned stream (the client went away) tears down the chain and the docker request.
 */
export function followLogStream(raw: Readable, tty: boolean, limit: number | undefined, log: Logger): PassThrough {
  const out = new PassThrough();
  const stages: NodeJS.ReadWriteStream[] = [];
  if (!tty) stages.push(new DemuxTransform());
  if (limit) stages.push(new LimitTransform(limit));
  pipeline([raw, ...stages, out] as unknown as [Readable, PassThrough], (err) => {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (err && err.name !== 'AbortError' && code !== 'ERR_STREAM_PREMATURE_CLOSE') log.debug({ err }, 'log stream ended with error');
  });
  return out;
}
