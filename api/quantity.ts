// Kubernetes resource quantities (`100m`, `0.5`, `1Gi`, `512Mi`, `1e3`, `2k`) as plain JS numbers.
// Doubles are exact enough for scheduling sums at the scales a small cluster sees; we never
// need the arbitrary precision of apimachinery's inf.Dec.

export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const shape = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/;

/** The message Kubernetes gives for a malformed quantity, or undefined when it parses. */
export function quantityError(s: unknown): string | undefined {
  if (typeof s === 'number') return Number.isFinite(s) ? undefined : QUANTITY_FORMAT_ERROR;
  if (typeof s !== 'string' || s.length === 0) return QUANTITY_FORMAT_ERROR;
  const m = shape.exec(s.trim() === s ? s : '');
  if (!m) return QUANTITY_FORMAT_ERROR;
  const suffix = m[2];
  if (suffix in BINARY || suffix in DECIMAL || /^[eE][+-]?[0-9]+$/.test(suffix)) return undefined;
  if (/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix)) return "unable to parse quantity's suffix";
  return QUANTITY_FORMAT_ERROR;
}

export function isValidQuantity(s: unknown): boolean {
  return quantityError(s) === undefined;
}

/** '100m' → 0.1, '1Gi' → 1073741824, '1e3' → 1000. Throws on a malformed quantity. */
export function parseQuantity(s: string | number): number {
  const err = quantityError(s);
  if (err) throw new Error(`${JSON.stringify(s)}: ${err}`);
  if (typeof s === 'number') return s;
  const m = shape.exec(s)!;
  const base = Number(m[1]);
  const suffix = m[2];
  if (suffix in BINARY) return base * BINARY[suffix];
  if (suffix in DECIMAL) return base * DECIMAL[suffix];
  return base * 10 ** Number(suffix.slice(1));
}

/** Like parseQuantity but undefined instead of throwing (absent or malformed). */
export function tryParseQuantity(s: unknown): number | undefined {
  if (typeof s !== 'string' && typeof s !== 'number') return undefined;
  return isValidQuantity(s) ? parseQuantity(s) : undefined;
}

/** CPU cores → the shortest canonical form: 2 → "2", 0.25 → "250m". */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes → a binary-suffixed form when exact ("1Gi", "512Mi"), else a plain integer. */
export function formatBytes(bytes: number): string {
  const n = Math.round(bytes);
  for (const suf of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = BINARY[suf];
    if (n !== 0 && n % unit === 0) return `${n / unit}${suf}`;
  }
  return String(n);
}
