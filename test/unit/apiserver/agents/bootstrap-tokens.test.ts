import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_TOKENS_FILE,
  createBootstrapToken,
  generateToken,
  parseToken,
  readBootstrapTokens,
  verifyToken,
} from '../../../../apiserver/agents/bootstrap-tokens.js';
import { certFingerprintSha256, createCA } from '../../../../lib/tls.js';

let ca: { certPem: string; keyPem: string };
beforeAll(() => {
  ca = createCA('test-ca');
});

describe('join tokens', () => {
  it('carries the CA fingerprint, a 6-char id and a 16-char secret', () => {
    const { token, entry } = generateToken(ca.certPem, 60_000);
    expect(token).toMatch(/^K10[0-9a-f]{64}::[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const p = parseToken(token)!;
    expect(p.caSha256).toBe(certFingerprintSha256(ca.certPem));
    expect(p.id).toBe(entry.id);
    expect(JSON.stringify(entry)).not.toContain(p.secret);
  });

  it('rejects malformed tokens', () => {
    expect(parseToken('K10abc::abcdef.0123456789abcdef')).toBeUndefined();
    expect(parseToken('nonsense')).toBeUndefined();
  });

  it('verifies a good token, refuses unknown, wrong-secret and expired ones', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    const { token, entry } = generateToken(ca.certPem, 60_000, now);
    expect(verifyToken([entry], token, now)).toEqual({ ok: true, id: entry.id });
    const p = parseToken(token)!;
    const wrongSecret = `K10${p.caSha256}::${p.id}.${'x'.repeat(16)}`;
    expect(verifyToken([entry], wrongSecret, now)).toEqual({ ok: false, reason: 'unknown' });
    expect(verifyToken([], token, now)).toEqual({ ok: false, reason: 'unknown' });
    expect(verifyToken([entry], 'garbage', now)).toEqual({ ok: false, reason: 'unknown' });
    expect(verifyToken([entry], token, new Date(now.getTime() + 61_000))).toEqual({ ok: false, reason: 'expired' });
  });

  describe('the token file', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'kinglet-tokens-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('appends entries (0600) that verify the printed tokens, without storing secrets', async () => {
      const t1 = await createBootstrapToken(dir, ca.certPem, 3_600_000);
      const t2 = await createBootstrapToken(dir, ca.certPem, 3_600_000);
      const entries = await readBootstrapTokens(dir);
      expect(entries).toHaveLength(2);
      expect(verifyToken(entries, t1).ok).toBe(true);
      expect(verifyToken(entries, t2).ok).toBe(true);
      const path = join(dir, BOOTSTRAP_TOKENS_FILE);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const text = readFileSync(path, 'utf8');
      expect(text).not.toContain(parseToken(t1)!.secret);
      expect(text).not.toContain(parseToken(t2)!.secret);
    });
  });
});
