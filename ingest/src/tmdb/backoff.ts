export type BackoffOptions = {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** No single wait is longer than this. */
  maxMs: number;
};

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so clients
 * that failed together do not retry together, yet every retry still waits a while.
 * `retry` is 0 for the first retry.
 */
export function backoffDelay(retry: number, { baseMs, maxMs }: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** retry);
  return step / 2 + random() * (step / 2);
}

/** `Retry-After` as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
