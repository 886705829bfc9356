import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Per-account brute-force protection (the per-address limit is @fastify/rate-limit on the
 * route): after `maxFailures` wrong passwords within `windowSeconds` the account refuses logins
 * for `lockSeconds`, even with the right password. Kept in Postgres so every instance agrees.
 */
export type ThrottleSettings = { maxFailures: number; windowSeconds: number; lockSeconds: number };
export const DEFAULT_THROTTLE: ThrottleSettings = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

export class LoginThrottle {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly settings: ThrottleSettings = DEFAULT_THROTTLE,
  ) {}

  private key(email: string): Buffer {
    return createHash('sha256').update(`login:${email}`).digest();
  }

  /** Seconds until the account may try again, or 0. */
  async lockedFor(email: string): Promise<number> {
    const { rows } = await this.pool.query<{ seconds: number }>(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS seconds FROM ${this.schema}.login_failures
        WHERE email_key = $1 AND locked_until > now()`,
      [this.key(email)],
    );
    return rows[0]?.seconds ?? 0;
  }

  async recordFailure(email: string): Promise<void> {
    const { maxFailures, windowSeconds, lockSeconds } = this.settings;
    await this.pool.query(
      `INSERT INTO ${this.schema}.login_failures AS f (email_key, failures, window_start) VALUES ($1, 1, now())
       ON CONFLICT (email_key) DO UPDATE SET
         failures = CASE WHEN f.window_start < now() - make_interval(secs => $2) THEN 1 ELSE f.failures + 1 END,
         window_start = CASE WHEN f.window_start < now() - make_interval(secs => $2) THEN now() ELSE f.window_start END,
         locked_until = CASE
           WHEN f.window_start >= now() - make_interval(secs => $2) AND f.failures + 1 >= $3 THEN now() + make_interval(secs => $4)
           ELSE f.locked_until END`,
      [this.key(email), windowSeconds, maxFailures, lockSeconds],
    );
  }

  async recordSuccess(email: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.schema}.login_failures WHERE email_key = $1`, [this.key(email)]);
  }
}
