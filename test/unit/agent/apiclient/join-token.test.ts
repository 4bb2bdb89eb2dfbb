import { describe, expect, it } from 'vitest';
import { parseJoinToken } from '../../../../agent/apiclient/join-token.ts';

const hash = 'a'.repeat(64);

describe('parseJoinToken', () => {
  it('parses K10<hash>::<id>.<secret>', () => {
    const t = parseJoinToken(`K10${hash}::abc123.0123456789abcdef`);
    expect(t).toEqual({ caHash: hash, id: 'abc123', secret: '0123456789abcdef', raw: `K10${hash}::abc123.0123456789abcdef` });
  });

  it('trims surrounding whitespace (a token pasted from a terminal)', () => {
    expect(parseJoinToken(` K10${hash}::abc123.0123456789abcdef\n`).id).toBe('abc123');
  });

  it.each([
    '',
    'abc123.0123456789abcdef',
    `K10${hash}:abc123.0123456789abcdef`,
    `K10${'a'.repeat(63)}::abc123.0123456789abcdef`,
    `K10${'A'.repeat(64)}::abc123.0123456789abcdef`,
    `K10${hash}::abc12.0123456789abcdef`,
    `K10${hash}::abc123.0123456789abcde`,
    `K10${hash}::ABC123.0123456789abcdef`,
    `K11${hash}::abc123.0123456789abcdef`,
  ])('rejects %j with a clear message', (token) => {
    expect(() => parseJoinToken(token)).toThrow('invalid join token format');
  });

  it('never puts the secret in the error', () => {
    try {
      parseJoinToken(`K10${hash}::abc123.supersecretvalue!`);
    } catch (err) {
      expect((err as Error).message).not.toContain('supersecret');
    }
  });
});
