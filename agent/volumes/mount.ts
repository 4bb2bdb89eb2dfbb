// The only place the volume manager runs processes: tmpfs mount and unmount on the host. Mount
// points are read from /proc/self/mountinfo so "already mounted" survives an agent restart.
import { readFile } from 'node:fs/promises';

// execa (and its dependencies) only for pods that need a tmpfs: most agents never load it
const run = async (cmd: string, args: string[]): Promise<void> => {
  const { execa } = await import('execa');
  await execa(cmd, args);
};

export interface MountInfo {
  mountPoint: string;
  fsType: string;
}

/** mountinfo escapes space, tab, newline and backslash as octal */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export async function listMounts(): Promise<MountInfo[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const out: MountInfo[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const parts = line.split(' ');
    const sep = parts.indexOf('-');
    if (sep < 0 || parts.length < 5) continue;
    out.push({ mountPoint: unescape(parts[4]), fsType: parts[sep + 1] });
  }
  return out;
}

export async function mountedFsType(path: string): Promise<string | undefined> {
  const mounts = await listMounts();
  // the last entry for a path is the one on top
  for (let i = mounts.length - 1; i >= 0; i--) if (mounts[i].mountPoint === path) return mounts[i].fsType;
  return undefined;
}

/** Mount points at or below dir, deepest first (the order to unmount them). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const prefix = dir.endsWith('/') ? dir : dir + '/';
  const found = (await listMounts()).map((m) => m.mountPoint).filter((p) => p === dir || p.startsWith(prefix));
  return [...new Set(found)].sort((a, b) => b.length - a.length);
}

/** Mount a tmpfs at dir unless one is already there. sizeBytes undefined = kernel default (half of RAM). */
export async function ensureTmpfs(dir: string, sizeBytes?: number, mode = 0o755): Promise<void> {
  if ((await mountedFsType(dir)) === 'tmpfs') return;
  const opts = [`mode=${mode.toString(8).padStart(4, '0')}`];
  if (sizeBytes !== undefined && sizeBytes > 0) opts.push(`size=${Math.ceil(sizeBytes)}`);
  await run('mount', ['-t', 'tmpfs', '-o', opts.join(','), 'tmpfs', dir]);
}

/** Unmount, falling back to a lazy unmount when something still holds the mount busy. */
export async function unmount(dir: string): Promise<void> {
  try {
    await run('umount', [dir]);
  } catch {
    await run('umount', ['-l', dir]);
  }
}
