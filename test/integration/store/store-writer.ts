// Child process for crash-durability.test.ts: writes through the real SqliteStore and prints
// "ack <key>" only after each create resolved, so every printed key is an acknowledged write.
// Run with vite-node (ships with vitest) so it uses the TypeScript store, not a copy of its SQL.
import { writeSync } from 'node:fs';
import { openSqliteStore } from '../../../apiserver/store/sqlite-store.js';

const dbPath = process.env.KINGLET_CRASH_DB;
const count = Number(process.env.KINGLET_CRASH_COUNT ?? '100000');
if (!dbPath) throw new Error('KINGLET_CRASH_DB not set');

const store = openSqliteStore(dbPath);
const start = await store.currentRevision();
const pad = 'x'.repeat(512); // pod-sized values so WAL pages actually fill and checkpoint
writeSync(1, `ready ${start}\n`);
for (let i = start; i < start + count; i++) {
  const key = `/registry/crash/${String(i).padStart(8, '0')}`;
  await store.create(key, JSON.stringify({ i, pad }));
  // writeSync: the ack reaches the pipe before the next write begins, never before the commit
  writeSync(1, `ack ${key}\n`);
}
await store.close();
