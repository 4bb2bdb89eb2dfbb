import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../../apiserver/store/index.js';
import { SqliteStore } from '../../../../apiserver/store/sqlite-store.js';

describe('openStore', () => {
  it('opens kinglet.db under dataDir (creating the directory) when no etcd endpoints are given', async () => {
    const base = mkdtempSync(join(tmpdir(), 'kinglet-open-'));
    const dataDir = join(base, 'nested', 'data');
    try {
      const store = await openStore({ dataDir, etcdEndpoints: [] });
      expect(store).toBeInstanceOf(SqliteStore);
      expect((store as SqliteStore).path).toBe(join(dataDir, 'kinglet.db'));
      await store.create('k', 'v');
      await store.close();
      expect(existsSync(join(dataDir, 'kinglet.db'))).toBe(true);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('says clearly that etcd is not there yet', async () => {
    await expect(openStore({ dataDir: '/nonexistent', etcdEndpoints: ['http://127.0.0.1:2379'] })).rejects.toThrow(
      'etcd backend not implemented yet',
    );
  });
});
