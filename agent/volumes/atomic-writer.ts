// kubelet's AtomicWriter: a volume's files live in a timestamped `..YYYY_MM_DD_HH_MM_SS.xxxxxx`
// directory, `..data` is a symlink to it swapped with rename(2), and the visible names are symlinks
// through `..data`. A reader therefore sees either the old or the new set, never a mix.
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';

export interface FileProjection {
  data: Buffer;
  /** permission bits, e.g. 0o644 */
  mode: number;
}

/** relative path → content */
export type Payload = Map<string, FileProjection>;

const DATA = '..data';
const DATA_TMP = '..data_tmp';

export function validatePayloadPath(p: string): void {
  if (!p) throw new Error('invalid path: must not be empty');
  if (posix.isAbsolute(p)) throw new Error(`invalid path: must be relative path: ${p}`);
  if (p.split('/').includes('..')) throw new Error(`invalid path: must not contain '..': ${p}`);
  if (p.startsWith('..')) throw new Error(`invalid path: must not start with '..': ${p}`);
}

function timestampPrefix(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.`;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

async function walkFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walkFiles(dir, r)));
    else out.push(r);
  }
  return out;
}

/** Does the current data dir hold exactly this payload (content and mode)? */
async function samePayload(target: string, tsDir: string, payload: Payload): Promise<boolean> {
  const files = await walkFiles(tsDir);
  if (files.length !== payload.size) return false;
  for (const f of files) {
    const want = payload.get(f);
    if (!want) return false;
    const st = await stat(join(tsDir, f));
    if ((st.mode & 0o7777) !== want.mode) return false;
    if (!(await readFile(join(tsDir, f))).equals(want.data)) return false;
  }
  // the visible links must be there too (a half-finished earlier write)
  for (const top of topLevel(payload)) if (!(await exists(join(target, top)))) return false;
  return true;
}

function topLevel(payload: Payload): Set<string> {
  return new Set([...payload.keys()].map((p) => p.split('/')[0]));
}

export interface WriteOptions {
  /** group owner of files and directories (pod fsGroup); files gain group read */
  gid?: number;
}

/** Write the payload into target; returns false (and touches nothing) when it is unchanged. */
export async function writeAtomic(target: string, payload: Payload, opts: WriteOptions = {}): Promise<boolean> {
  // 1. validate and find the current data dir
  for (const p of payload.keys()) validatePayloadPath(p);
  await mkdir(target, { recursive: true });
  let oldTs: string | undefined;
  try {
    oldTs = await readlink(join(target, DATA));
  } catch {
    oldTs = undefined;
  }
  if (oldTs && (await exists(join(target, oldTs))) && (await samePayload(target, join(target, oldTs), withGroupRead(payload, opts)))) return false;

  // 2. a fresh timestamped dir with every file
  const tsDir = await mkdtemp(join(target, timestampPrefix()));
  await chmod(tsDir, 0o755);
  for (const [rel, f] of withGroupRead(payload, opts)) {
    const file = join(tsDir, rel);
    await mkdir(dirname(file), { recursive: true, mode: 0o755 });
    await writeFile(file, f.data, { mode: f.mode });
    await chmod(file, f.mode); // writeFile's mode is filtered by the umask
    if (opts.gid !== undefined) await chown(file, 0, opts.gid);
  }
  if (opts.gid !== undefined) await chown(tsDir, 0, opts.gid);

  // 3. swap ..data atomically
  await rm(join(target, DATA_TMP), { force: true });
  await symlink(basename(tsDir), join(target, DATA_TMP));
  await rename(join(target, DATA_TMP), join(target, DATA));

  // 4. visible names: add the new ones, drop the ones no longer in the payload
  const wanted = topLevel(payload);
  for (const top of wanted) {
    const link = join(target, top);
    const st = await lstat(link).catch(() => undefined);
    if (st?.isSymbolicLink()) continue;
    if (st) await rm(link, { recursive: true, force: true });
    await symlink(posix.join(DATA, top), link);
  }
  for (const name of await readdir(target)) {
    if (name.startsWith('..') || wanted.has(name)) continue;
    const st = await lstat(join(target, name));
    if (st.isSymbolicLink()) await unlink(join(target, name));
  }

  // 5. remove every older data dir (also leftovers of an interrupted write)
  for (const name of await readdir(target)) {
    if (name.startsWith('..') && name !== DATA && name !== basename(tsDir)) {
      await rm(join(target, name), { recursive: true, force: true });
    }
  }
  return true;
}

function withGroupRead(payload: Payload, opts: WriteOptions): Payload {
  if (opts.gid === undefined) return payload;
  return new Map([...payload].map(([k, f]) => [k, { data: f.data, mode: f.mode | 0o040 }]));
}
