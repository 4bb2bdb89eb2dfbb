// Go-style durations ("40s", "1h30m", "500ms", "1.5h") as used by Kubernetes flags, to milliseconds.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

// Longest units first so "ms" is not read as "m" followed by garbage.
const PART = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/;

/** Parses a Go duration string into milliseconds; throws with the offending input on bad syntax. */
export function parseDuration(input: string): number {
  const bad = (why: string) => new Error(`invalid duration "${input}": ${why} (examples: 40s, 5m, 1h30m, 500ms)`);
  let s = input.trim();
  if (s === '') throw bad('empty');
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  // Go accepts a bare "0" without unit; nothing else may omit it.
  if (s === '0') return 0;
  if (s === '') throw bad('missing number');
  let total = 0;
  while (s.length > 0) {
    const m = PART.exec(s);
    if (!m) {
      if (/^\d/.test(s) && !/[a-zµ]/i.test(s)) throw bad('missing unit');
      throw bad(`unexpected "${s}"`);
    }
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** Formats milliseconds the way Go prints durations (e.g. 90000 → "1m30s"), for help text and logs. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  let out = sign;
  if (h) out += `${h}h`;
  if (h || m) out += `${m}m`;
  out += `${Number(s.toFixed(3))}s`;
  return out;
}
