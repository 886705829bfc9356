/** TMDb answered with a status we do not retry (404, 401, ...). */
export class TmdbHttpError extends Error {
  override readonly name = 'TmdbHttpError';
  constructor(
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`TMDb ${path} answered ${status}${detail ? `: ${detail}` : ''}`);
  }
}

/** The body was not JSON, or not the shape we read. Retrying would fetch the same bytes. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`TMDb ${path}: malformed response (${reason})`);
  }
}

/** Retries ran out on network errors, timeouts, 5xx or 429. */
export class TmdbUnavailableError extends Error {
  override readonly name = 'TmdbUnavailableError';
  constructor(
    readonly path: string,
    readonly attempts: number,
    options: { cause: unknown },
  ) {
    super(`TMDb ${path} failed after ${attempts} attempts: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
  }
}

/** Too many recent requests failed: we stop calling TMDb for a while instead of hammering it. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(readonly path: string) {
    super(`TMDb circuit breaker is open (too many recent failures); not calling ${path}`);
  }
}

/** An answer worth another attempt: a 5xx or 429, with the wait TMDb asked for if any. */
export class RetryableStatusError extends Error {
  override readonly name = 'RetryableStatusError';
  constructor(
    readonly path: string,
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`TMDb ${path} answered ${status}`);
  }
}
