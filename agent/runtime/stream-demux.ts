// Docker multiplexes stdout/stderr of non-TTY containers into frames: an 8-byte header (stream type,
// 3 zero bytes, big-endian length) and the payload. These helpers undo that for logs and exec.
import { Transform, type TransformCallback } from 'node:stream';

/** Streaming demuxer: emits the payload bytes of stdout and stderr frames, in order. */
export class DemuxTransform extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private raw = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.raw) return cb(null, chunk);
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const type = this.pending[0]!;
      if (type > 2 || this.pending[1] !== 0 || this.pending[2] !== 0 || this.pending[3] !== 0) {
        // Not multiplexed (a TTY container): pass everything through from here on.
        this.raw = true;
        this.push(this.pending);
        this.pending = Buffer.alloc(0);
        return cb();
      }
      const len = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + len) break;
      if (type !== 0) this.push(this.pending.subarray(8, 8 + len));
      this.pending = this.pending.subarray(8 + len);
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    if (this.pending.length) this.push(this.pending);
    cb();
  }
}

/** Demux a complete buffer (non-follow logs come back whole); a non-multiplexed buffer is returned as is. */
export function demuxBuffer(buf: Buffer): Buffer {
  const out: Buffer[] = [];
  let off = 0;
  while (off + 8 <= buf.length) {
    const type = buf[off]!;
    if (type > 2 || buf[off + 1] !== 0 || buf[off + 2] !== 0 || buf[off + 3] !== 0) {
      out.push(buf.subarray(off));
      return Buffer.concat(out);
    }
    const len = buf.readUInt32BE(off + 4);
    if (type !== 0) out.push(buf.subarray(off + 8, Math.min(buf.length, off + 8 + len)));
    off += 8 + len;
  }
  // a short tail that is not a whole frame header means the buffer was never multiplexed
  if (off === 0) return buf;
  return Buffer.concat(out);
}

/** Cuts a byte stream after `limit` bytes (kubectl logs --limit-bytes). */
export class LimitTransform extends Transform {
  private left: number;
  constructor(limit: number) {
    super();
    this.left = limit;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.left <= 0) return cb();
    const part = chunk.length > this.left ? chunk.subarray(0, this.left) : chunk;
    this.left -= part.length;
    this.push(part);
    if (this.left <= 0) this.push(null);
    cb();
  }
}
