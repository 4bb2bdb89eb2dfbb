import { randomBytes, randomUUID } from 'node:crypto';

// Kubernetes' generateName alphabet: no vowels (no accidental words) and no look-alike digits.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generateSuffix(length = 5): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return s;
}

export function generateName(prefix: string): string {
  // Kubernetes trims the prefix so the full name stays within 63 characters.
  const max = 63 - 5;
  return (prefix.length > max ? prefix.slice(0, max) : prefix) + generateSuffix();
}

export const newUid = (): string => randomUUID();
