import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { followEvents, type DockerEvent } from '../../../../agent/runtime/event-stream.js';
import { ensureSandboxImage, SANDBOX_IMAGE, type SandboxImageHost } from '../../../../agent/runtime/sandbox-image.js';

const log = pino({ level: 'silent' });

describe('followEvents', () => {
  it('reconnects after the stream ends, resuming from the last event time', async () => {
    const opened: (number | undefined)[] = [];
    const streams: PassThrough[] = [];
    const got: DockerEvent[] = [];
    const stop = followEvents(
      async (_signal, since) => {
        opened.push(since);
        const s = new PassThrough();
        streams.push(s);
        return s as Readable;
      },
      (ev) => got.push(ev),
      log,
      50,
    );
    await new Promise((r) => setTimeout(r, 20));
    streams[0]!.write('{"Action":"start","id":"a","time":100}\n{"Action":"die",');
    streams[0]!.write('"id":"a","time":101}\n');
    streams[0]!.end();
    for (let i = 0; i < 50 && streams.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    streams[1]!.write('{"Action":"destroy","id":"a","time":102}\n');
    await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(got.map((e) => e.Action)).toEqual(['start', 'die', 'destroy']);
    expect(opened.slice(0, 2)).toEqual([undefined, 101]);
    expect(streams[1]!.destroyed).toBe(true); // unsubscribe closes the stream
  });
});

describe('ensureSandboxImage', () => {
  it('imports once when absent, memoizes, and retries after a failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-'));
    try {
      const bb = join(dir, 'busybox');
      writeFileSync(bb, 'BB');
      const images = new Map<string, string>();
      let imports = 0;
      let fail = true;
      const host: SandboxImageHost = {
        imageId: async (ref) => images.get(ref),
        importImage: async (rootfs, repo, tag, changes) => {
          imports++;
          if (fail) throw new Error('boom');
          expect(rootfs.length % 512).toBe(0);
          expect(changes).toContain('ENTRYPOINT ["/pause"]');
          images.set(`${repo}:${tag}`, 'sha256:p');
        },
      };
      await expect(ensureSandboxImage(host, bb)).rejects.toThrow('boom');
      fail = false;
      expect(await ensureSandboxImage(host, bb)).toBe('sha256:p');
      expect(await ensureSandboxImage(host, bb)).toBe('sha256:p');
      expect(imports).toBe(2);
      expect(images.has(SANDBOX_IMAGE)).toBe(true);
      const missing: SandboxImageHost = { imageId: async () => undefined, importImage: async () => undefined };
      await expect(ensureSandboxImage(missing, join(dir, 'nope'))).rejects.toThrow(/busybox-static/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
