// hostPath type checks (and the *OrCreate creations) with the kubelet's messages.
import { lstat, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { VolumeError } from '../podworker/deps.js';

async function statOf(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

export async function checkHostPath(path: string, type: string | undefined): Promise<void> {
  const fail = (what: string) => new VolumeError(`hostPath type check failed: ${path} is not a ${what}`);
  let st = await statOf(path);
  switch (type ?? '') {
    case '':
      return;
    case 'DirectoryOrCreate':
      if (!st) await mkdir(path, { recursive: true, mode: 0o755 });
      else if (!st.isDirectory()) throw fail('directory');
      return;
    case 'Directory':
      if (!st?.isDirectory()) throw fail('directory');
      return;
    case 'FileOrCreate':
      if (!st) {
        await mkdir(dirname(path), { recursive: true, mode: 0o755 });
        await (await open(path, 'a', 0o644)).close();
        st = await lstat(path);
      }
      if (st.isDirectory()) throw fail('file');
      return;
    case 'File':
      if (!st || st.isDirectory()) throw fail('file');
      return;
    case 'Socket':
      if (!st?.isSocket()) throw fail('socket file');
      return;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) throw fail('character device');
      return;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) throw fail('block device');
      return;
    default:
      throw new VolumeError(`hostPath type check failed: unknown type ${type}`);
  }
}
