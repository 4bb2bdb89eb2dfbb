// Small file helpers for the data dir: atomic writes with an explicit mode, tolerant reads.
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';

/** Writes via a temp file + rename so readers never see half a file; the mode is forced (umask-proof). */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/** File content, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
