import { describe, expect, it } from 'vitest';
import {
  isCIdentifier, isConfigMapKey, isDns1123Label, isDns1123Subdomain, isEnvVarName, isIanaSvcName, isQualifiedName,
  isValidIp, isValidLabelValue,
} from '../../../api/names.js';

describe('name checks', () => {
  it('DNS-1123 label and subdomain', () => {
    expect(isDns1123Label('my-name')).toBeUndefined();
    expect(isDns1123Label('a.b')).toMatch(/^a lowercase RFC 1123 label must consist of/);
    expect(isDns1123Label('-a')).toBeDefined();
    expect(isDns1123Label('a'.repeat(64))).toBe('must be no more than 63 characters');
    expect(isDns1123Subdomain('example.com')).toBeUndefined();
    expect(isDns1123Subdomain('Example')).toMatch(/^a lowercase RFC 1123 subdomain/);
    expect(isDns1123Subdomain('a'.repeat(254))).toBe('must be no more than 253 characters');
  });

  it('qualified names (label keys)', () => {
    expect(isQualifiedName('app')).toBeUndefined();
    expect(isQualifiedName('app.kubernetes.io/name')).toBeUndefined();
    expect(isQualifiedName('Under_score.ok')).toBeUndefined();
    expect(isQualifiedName('/x')).toBe('prefix part must be non-empty');
    expect(isQualifiedName('x/')).toBe('name part must be non-empty');
    expect(isQualifiedName('Bad.Prefix/x')).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isQualifiedName('a/b/c')).toMatch(/with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
    expect(isQualifiedName('x'.repeat(64))).toBe('name part must be no more than 63 characters');
  });

  it('label values', () => {
    expect(isValidLabelValue('')).toBeUndefined();
    expect(isValidLabelValue('v1.2_x')).toBeUndefined();
    expect(isValidLabelValue('-x')).toMatch(/^a valid label must be an empty string or consist of alphanumeric characters/);
  });

  it('IANA service names, identifiers, env names, config keys, IPs', () => {
    expect(isIanaSvcName('http')).toBeUndefined();
    expect(isIanaSvcName('80')).toBe('must contain at least one letter (a-z)');
    expect(isIanaSvcName('a--b')).toBe('must not contain consecutive hyphens (-)');
    expect(isIanaSvcName('-ab')).toBe('must not begin or end with a hyphen (-)');
    expect(isIanaSvcName('HTTP')).toBe('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
    expect(isCIdentifier('MY_VAR')).toBeUndefined();
    expect(isCIdentifier('my-var')).toMatch(/^a valid C identifier must start with alphabetic character or '_'/);
    expect(isEnvVarName('my.env-name')).toBeUndefined();
    expect(isEnvVarName('1x')).toMatch(/^a valid environment variable name/);
    expect(isConfigMapKey('..x')).toBe("must not start with '..'");
    expect(isConfigMapKey('game.properties')).toBeUndefined();
    expect(isValidIp('10.0.0.1')).toBe(true);
    expect(isValidIp('::1')).toBe(true);
    expect(isValidIp('2001:db8::ffff')).toBe(true);
    expect(isValidIp('256.1.1.1')).toBe(false);
    expect(isValidIp('1:2:3:4:5:6:7:8:9')).toBe(false);
  });
});
