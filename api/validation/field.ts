// FieldCause constructors with the exact reasons and message shapes of
// k8s.io/apimachinery/pkg/util/validation/field, so kubectl prints what users expect.
import type { FieldCause } from '../../lib/errors.js';

export type Causes = FieldCause[];

/** Go-flavoured rendering of a bad value, as field.Error prints it (%q strings, %d ints, map[...]). */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
    return JSON.stringify(v);
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.every(([, x]) => typeof x === 'string')) {
      return `map[string]string{${entries
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`)
        .join(', ')}}`;
    }
    return JSON.stringify(v);
  }
  return String(v);
}

export const required = (field: string, detail = ''): FieldCause => ({
  reason: 'FieldValueRequired',
  message: detail ? `Required value: ${detail}` : 'Required value',
  field,
});

export const invalid = (field: string, value: unknown, detail: string): FieldCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${formatValue(value)}${detail ? `: ${detail}` : ''}`,
  field,
});

export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldCause => ({
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: ${formatValue(value)}${
    supported.length ? `: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : ''
  }`,
  field,
});

export const duplicate = (field: string, value: unknown): FieldCause => ({
  reason: 'FieldValueDuplicate',
  message: `Duplicate value: ${formatValue(value)}`,
  field,
});

export const forbidden = (field: string, detail: string): FieldCause => ({
  reason: 'FieldValueForbidden',
  message: `Forbidden: ${detail}`,
  field,
});

export const tooLong = (field: string, max: number): FieldCause => ({
  reason: 'FieldValueTooLong',
  message: `Too long: may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}`,
  field,
});

export const IMMUTABLE = 'field is immutable';

/** Causes from a name checker (names.ts) applied to a value, or none. */
export function checkName(field: string, value: string, check: (v: string) => string | undefined): Causes {
  const err = check(value);
  return err ? [invalid(field, value, err)] : [];
}

export function nonNegative(field: string, v: unknown): Causes {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v)) return [invalid(field, v, 'must be an integer')];
  return v < 0 ? [invalid(field, v, 'must be greater than or equal to 0')] : [];
}

export function positive(field: string, v: unknown): Causes {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v)) return [invalid(field, v, 'must be an integer')];
  return v <= 0 ? [invalid(field, v, 'must be greater than zero')] : [];
}

export function atLeast(field: string, v: unknown, min: number): Causes {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v)) return [invalid(field, v, 'must be an integer')];
  return v < min ? [invalid(field, v, `must be greater than or equal to ${min}`)] : [];
}

export function oneOf(field: string, v: unknown, allowed: readonly string[], requiredWhenEmpty = false): Causes {
  if (v === undefined || v === null || v === '') return requiredWhenEmpty ? [required(field)] : [];
  return allowed.includes(v as string) ? [] : [notSupported(field, v, allowed)];
}

export const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Semantic equality as apimachinery's equality.Semantic: absent, null, [] and {} of a field are alike. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown): boolean =>
    v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
  if (empty(a) && empty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return a === b;
}

export const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

export const notFound = (field: string, value: unknown): FieldCause => ({
  reason: 'FieldValueNotFound',
  message: `Not found: ${formatValue(value)}`,
  field,
});

/** A port number: 1..65535, with the Kubernetes wording. */
export function portNumber(field: string, v: unknown): Causes {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
    return [invalid(field, v, 'must be between 1 and 65535, inclusive')];
  }
  return [];
}
