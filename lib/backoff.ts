// Exponential backoff with a cap and optional jitter; per-key variant for work queues and retries.

export interface BackoffOptions {
  /** first delay */
  initialMs: number;
  /** the delay never exceeds this (jitter included) */
  maxMs: number;
  /** growth per attempt; default 2 */
  factor?: number;
  /** fraction of the delay added at random: 0.1 → up to +10%; default 0 */
  jitter?: number;
  random?: () => number;
}

/** Delay for the given attempt number (0 = first failure). */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const factor = opts.factor ?? 2;
  // Compare in log space first so huge attempt counts never overflow to Infinity/NaN.
  const raw = attempt > 0 && Math.log(opts.maxMs / opts.initialMs) / Math.log(factor) < attempt ? opts.maxMs : opts.initialMs * factor ** attempt;
  const base = Math.min(raw, opts.maxMs);
  const jitter = opts.jitter ?? 0;
  const withJitter = jitter > 0 ? base * (1 + jitter * (opts.random ?? Math.random)()) : base;
  return Math.min(withJitter, opts.maxMs);
}

/** One sequence of retries (e.g. one reconnect loop). */
export class Backoff {
  private attempt = 0;
  constructor(private readonly opts: BackoffOptions) {}

  /** The delay to wait now; each call grows the next one. */
  next(): number {
    return backoffDelay(this.attempt++, this.opts);
  }

  reset(): void {
    this.attempt = 0;
  }

  attempts(): number {
    return this.attempt;
  }
}

/** Independent backoff per key, as client-go's ItemExponentialFailureRateLimiter. */
export class KeyedBackoff<K = string> {
  private readonly failures = new Map<K, number>();
  constructor(private readonly opts: BackoffOptions) {}

  next(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return backoffDelay(n, this.opts);
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  attempts(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}
