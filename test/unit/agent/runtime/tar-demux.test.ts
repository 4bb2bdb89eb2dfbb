import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DemuxTransform, demuxBuffer, LimitTransform } from '../../../../agent/runtime/stream-demux.js';
import { firstTarFile, writeTar } from '../../../../agent/runtime/tar.js';
import { consumeProgress, progressError } from '../../../../agent/runtime/pull-progress.js';
import { sandboxRootfs, PAUSE_SCRIPT } from '../../../../agent/runtime/sandbox-image.js';

function frame(type: number, s: string): Buffer {
  const body = Buffer.from(s);
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
}

async function collect(src: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of src) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
}

describe('tar', () => {
  it('writes archives GNU tar extracts (files, dirs, symlinks, modes, long names)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tar-'));
    try {
      const long = `${'d'.repeat(80)}/${'f'.repeat(60)}`;
      const tar = writeTar([
        { name: 'bin/', type: 'dir' },
        { name: 'bin/tool', type: 'file', mode: 0o755, data: Buffer.from('#!/bin/sh\n') },
        { name: 'bin/alias', type: 'symlink', linkname: '/bin/tool' },
        { name: `${'d'.repeat(80)}/`, type: 'dir' },
        { name: long, type: 'file', data: Buffer.alloc(1000, 120) },
      ]);
      expect(tar.length % 512).toBe(0);
      writeFileSync(join(dir, 'a.tar'), tar);
      execFileSync('tar', ['-xf', 'a.tar'], { cwd: dir });
      expect(readFileSync(join(dir, 'bin/tool'), 'utf8')).toBe('#!/bin/sh\n');
      expect(statSync(join(dir, 'bin/tool')).mode & 0o777).toBe(0o755);
      expect(readlinkSync(join(dir, 'bin/alias'))).toBe('/bin/tool');
      expect(readFileSync(join(dir, long)).length).toBe(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('reads the first regular file, bounded, tolerating truncation', () => {
    const tar = writeTar([
      { name: 'x/', type: 'dir' },
      { name: 'x/msg', type: 'file', data: Buffer.from('hello world') },
    ]);
    expect(firstTarFile(tar, 100)).toMatchObject({ name: 'x/msg', size: 11 });
    expect(firstTarFile(tar, 100)?.data.toString()).toBe('hello world');
    expect(firstTarFile(tar, 5)?.data.toString()).toBe('hello');
    expect(firstTarFile(tar.subarray(0, 1024 + 3), 100)?.data.toString()).toBe('hel');
    expect(firstTarFile(writeTar([]), 10)).toBeUndefined();
  });
  it('the sandbox rootfs holds busybox, sh/sleep links and a /pause that traps SIGTERM', () => {
    const tar = sandboxRootfs(Buffer.from('BUSYBOX'));
    expect(PAUSE_SCRIPT).toContain("trap 'exit 0' TERM");
    const listing = execFileSync('tar', ['-tvf', '-'], { input: tar, encoding: 'utf8' });
    expect(listing).toMatch(/-rwxr-xr-x .* bin\/busybox/);
    expect(listing).toMatch(/bin\/sh -> \/bin\/busybox/);
    expect(listing).toMatch(/-rwxr-xr-x .* pause/);
  });
});

describe('docker stream demux', () => {
  it('demuxes a whole buffer, dropping stdin frames', () => {
    const buf = Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(0, 'in'), frame(1, 'more\n')]);
    expect(demuxBuffer(buf).toString()).toBe('out\nerr\nmore\n');
    expect(demuxBuffer(Buffer.from('plain tty output\n')).toString()).toBe('plain tty output\n');
    expect(demuxBuffer(Buffer.from('hi')).toString()).toBe('hi');
  });
  it('demuxes frames split across chunks', async () => {
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'world\n')]);
    const chunks = [all.subarray(0, 3), all.subarray(3, 11), all.subarray(11)];
    expect(await collect(Readable.from(chunks).pipe(new DemuxTransform()))).toBe('hello world\n');
  });
  it('passes a non-multiplexed stream through', async () => {
    expect(await collect(Readable.from([Buffer.from('tty says hi\n')]).pipe(new DemuxTransform()))).toBe('tty says hi\n');
  });
  it('limits bytes', async () => {
    expect(await collect(Readable.from([Buffer.from('abcdef'), Buffer.from('ghi')]).pipe(new LimitTransform(7)))).toBe('abcdefg');
  });
});

describe('pull progress', () => {
  it('finds the error line even after progress lines', async () => {
    const lines = ['{"status":"Pulling from x"}', '{"status":"Downloading","id":"a"}', 'garbage', '{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}'];
    const seen: unknown[] = [];
    const err = await consumeProgress(Readable.from([lines.join('\n').slice(0, 30), lines.join('\n').slice(30)]), (e) => seen.push(e));
    expect(err).toBe('manifest unknown');
    expect(seen).toHaveLength(3);
    expect(await consumeProgress(Readable.from(['{"status":"Digest: sha256:x"}\n{"status":"Status: Downloaded"}']))).toBeUndefined();
    expect(progressError({ error: 'e' })).toBe('e');
  });
});
