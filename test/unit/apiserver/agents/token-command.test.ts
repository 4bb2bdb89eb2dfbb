import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBootstrapTokens, verifyToken, parseToken } from '../../../../apiserver/agents/bootstrap-tokens.js';
import { main } from '../../../../cli/main.js';
import { certFingerprintSha256, createCA } from '../../../../lib/tls.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) } };
}

describe('kinglet token create', () => {
  it('prints one line: a token pinned to the CA that verifies against the stored file, with the given ttl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kinglet-tokcmd-'));
    dirs.push(dir);
    const ca = createCA('c');
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    const o = io();
    expect(await main(['token', 'create', '--data-dir', dir, '--ttl', '2h'], o.io)).toBe(0);
    expect(o.out).toHaveLength(1);
    const token = o.out[0]!.trim();
    expect(parseToken(token)!.caSha256).toBe(certFingerprintSha256(ca.certPem));
    const entries = await readBootstrapTokens(dir);
    expect(verifyToken(entries, token).ok).toBe(true);
    const left = Date.parse(entries[0]!.expires) - Date.now();
    expect(left).toBeGreaterThan(7_100_000);
    expect(left).toBeLessThanOrEqual(7_200_000);
  });

  it('refuses an uninitialized dir and a bad ttl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kinglet-tokcmd-'));
    dirs.push(dir);
    const o = io();
    expect(await main(['token', 'create', '--data-dir', dir], o.io)).toBe(1);
    expect(o.err.join('')).toContain('is not initialized');
    const o2 = io();
    expect(await main(['token', 'create', '--data-dir', dir, '--ttl', 'soon'], o2.io)).toBe(2);
    expect(o2.err.join('')).toContain('--ttl');
  });
});
