// A minimal ustar writer and reader: enough to build the sandbox image's rootfs for `docker import`
// and to read one file out of `docker cp` archives, without a tar dependency.

export interface TarEntry {
  /** path inside the archive, without a leading "/" (directories may end with "/") */
  name: string;
  type: 'file' | 'dir' | 'symlink';
  mode?: number;
  data?: Buffer;
  /** symlink target */
  linkname?: string;
}

const BLOCK = 512;

function writeString(buf: Buffer, s: string, offset: number, len: number): void {
  const b = Buffer.from(s, 'utf8');
  if (b.length > len) throw new Error(`tar: field too long: ${s}`);
  b.copy(buf, offset);
}

function writeOctal(buf: Buffer, n: number, offset: number, len: number): void {
  writeString(buf, n.toString(8).padStart(len - 1, '0') + '\0', offset, len);
}

function header(e: TarEntry, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  let name = e.name.replace(/^\/+/, '');
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    // ustar splits long paths at a "/" into prefix (155) + name (100)
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  writeString(h, name, 0, 100);
  writeOctal(h, e.mode ?? (e.type === 'dir' ? 0o755 : e.type === 'symlink' ? 0o777 : 0o644), 100, 8);
  writeOctal(h, 0, 108, 8); // uid
  writeOctal(h, 0, 116, 8); // gid
  writeOctal(h, size, 124, 12);
  writeOctal(h, 0, 136, 12); // mtime: fixed, so the same content gives the same layer
  h.fill(' ', 148, 156); // checksum is computed with its own field as spaces
  h.write(e.type === 'dir' ? '5' : e.type === 'symlink' ? '2' : '0', 156, 'ascii');
  if (e.linkname) writeString(h, e.linkname, 157, 100);
  writeString(h, 'ustar\0', 257, 6);
  writeString(h, '00', 263, 2);
  writeString(h, prefix, 345, 155);
  let sum = 0;
  for (const byte of h) sum += byte;
  writeString(h, sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

/** Build a complete tar archive in memory. */
export function writeTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.type === 'file' ? (e.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    parts.push(header(e, data.length), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function readString(buf: Buffer, offset: number, len: number): string {
  const s = buf.subarray(offset, offset + len);
  const end = s.indexOf(0);
  return s.subarray(0, end < 0 ? len : end).toString('utf8');
}

export interface TarFile {
  name: string;
  /** full size recorded in the header */
  size: number;
  /** content, possibly cut at the caller's maxBytes or at the end of the (bounded) buffer */
  data: Buffer;
}

/**
 * The first regular file of an archive (what `docker cp` of a single file returns). Tolerates a
 * truncated buffer: the caller reads only a bounded prefix of the stream.
 */
export function firstTarFile(buf: Buffer, maxBytes: number): TarFile | undefined {
  let off = 0;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) return undefined;
    const name = readString(h, 0, 100);
    const size = parseInt(readString(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const prefix = readString(h, 345, 155);
    off += BLOCK;
    if (type === '0' || type === '\0') {
      const data = buf.subarray(off, off + Math.min(size, maxBytes));
      return { name: prefix ? `${prefix}/${name}` : name, size, data: Buffer.from(data) };
    }
    // pax headers ('x', 'g') and others: skip their data blocks
    off += Math.ceil(size / BLOCK) * BLOCK;
  }
  return undefined;
}
