import { describe, expect, it } from 'vitest';
import { bearerToken, createAuthenticator } from '../../../../apiserver/auth/authenticate.js';

const ADMIN = 'a'.repeat(64);

describe('TokenAuthenticator', () => {
  const auth = createAuthenticator([
    { token: ADMIN, name: 'admin', groups: ['system:masters', 'system:authenticated'] },
    { token: 'other-token', name: 'dev', groups: ['devs'] },
  ]);

  it('maps a good bearer token to its user', () => {
    expect(auth.authenticate({ headers: { authorization: `Bearer ${ADMIN}` } })).toEqual({
      name: 'admin',
      groups: ['system:masters', 'system:authenticated'],
    });
  });

  it('adds system:authenticated to every authenticated user', () => {
    expect(auth.authenticate({ headers: { authorization: 'bearer other-token' } })).toEqual({
      name: 'dev',
      groups: ['devs', 'system:authenticated'],
    });
  });

  it('rejects wrong, prefixed, missing and non-bearer credentials', () => {
    expect(auth.authenticate({ headers: { authorization: 'Bearer nope' } })).toBeUndefined();
    expect(auth.authenticate({ headers: { authorization: `Bearer ${ADMIN}x` } })).toBeUndefined();
    expect(auth.authenticate({ headers: { authorization: `Bearer ${ADMIN.slice(1)}` } })).toBeUndefined();
    expect(auth.authenticate({ headers: {} })).toBeUndefined();
    expect(auth.authenticate({ headers: { authorization: `Basic ${ADMIN}` } })).toBeUndefined();
    expect(auth.authenticate({ headers: { authorization: 'Bearer' } })).toBeUndefined();
  });

  it('returns a copy the caller cannot use to change the table', () => {
    const u = auth.authenticate({ headers: { authorization: `Bearer ${ADMIN}` } })!;
    u.groups.push('evil');
    expect(auth.authenticate({ headers: { authorization: `Bearer ${ADMIN}` } })!.groups).not.toContain('evil');
  });

  it('maps a verified client certificate to CN and O groups', () => {
    expect(
      auth.authenticate({ headers: {}, peerCertificate: { subject: { CN: 'system:node:n1', O: 'system:nodes' } } }),
    ).toEqual({ name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] });
    expect(auth.authenticate({ headers: {}, peerCertificate: { subject: { CN: 'u', O: ['a', 'b'] } } })).toEqual({
      name: 'u',
      groups: ['a', 'b', 'system:authenticated'],
    });
  });

  it('ignores an empty peer certificate (node gives {} when the client sent none)', () => {
    expect(auth.authenticate({ headers: {}, peerCertificate: {} })).toBeUndefined();
    expect(auth.authenticate({ headers: {}, peerCertificate: null })).toBeUndefined();
  });

  it('tokens added later authenticate', () => {
    const a = createAuthenticator([]);
    expect(a.authenticate({ headers: { authorization: 'Bearer t1' } })).toBeUndefined();
    a.add({ token: 't1', name: 'late', groups: [] });
    expect(a.authenticate({ headers: { authorization: 'Bearer t1' } })?.name).toBe('late');
    a.add({ token: 't1', name: 'replaced', groups: [] });
    expect(a.authenticate({ headers: { authorization: 'Bearer t1' } })?.name).toBe('replaced');
  });
});

describe('bearerToken', () => {
  it('extracts the token from a header string or array', () => {
    expect(bearerToken({ authorization: 'Bearer abc' })).toBe('abc');
    expect(bearerToken({ authorization: ['BEARER  abc  '] })).toBe('abc');
    expect(bearerToken({ authorization: 'Bearer a b' })).toBeUndefined();
    expect(bearerToken({})).toBeUndefined();
  });
});
