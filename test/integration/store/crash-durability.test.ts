import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../apiserver/store/sqlite-store.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const viteNode = join(root, 'node_modules/vite-node/vite-node.mjs');
const writer = join(here, 'store-writer.ts');
const dir = mkdtempSync(join(tmpdir(), 'kinglet-crash-'));
const dbPath = join(dir, 'kinglet.db');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Start the writer, SIGKILL it once it acknowledged `killAfter` writes, return every acked key. */
function writeThenKill(killAfter: number): Promise<{ acked: string[]; start: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [viteNode, writer], {
      cwd: root,
      env: { ...process.env, KINGLET_CRASH_DB: dbPath, KINGLET_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let start = -1;
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ready ')) start = Number(line.slice(6));
        if (line.startsWith('ack ')) acked.push(line.slice(4));
      }
      // kill -9 lands while the child is somewhere inside its next write
      if (acked.length >= killAfter && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') fail(new Error(`writer exited ${code} before the kill: ${stderr}`));
      else done({ acked, start });
    });
  });
}

describe('sqlite store crash durability', () => {
  it('keeps every acknowledged write across repeated kill -9', async () => {
    expect(existsSync(viteNode), 'vite-node (shipped with vitest) is needed to run the TS writer').toBe(true);
    let total = 0;
    for (const killAfter of [150, 40, 400]) {
      const { acked, start } = await writeThenKill(killAfter);
      expect(start).toBeGreaterThanOrEqual(total);
      expect(acked.length).toBeGreaterThanOrEqual(killAfter);

      // the file is intact after the crash: WAL recovery leaves a consistent database
      const raw = new Database(dbPath);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();

      const store = openSqliteStore(dbPath);
      try {
        for (const key of acked) expect(await store.get(key), key).toBeDefined();
        // only creates were made: the revision counts exactly the rows that committed, so the
        // counter and the data moved together (one transaction per write)
        const rev = await store.currentRevision();
        expect(await store.count('/registry/crash/')).toBe(rev);
        expect(rev).toBeGreaterThanOrEqual(start + acked.length);
        // a write interrupted after commit but before its ack may exist; at most one
        expect(rev).toBeLessThanOrEqual(start + acked.length + 1);
        total = rev;
      } finally {
        await store.close();
      }
    }
  });
});
