import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpProblem } from '@reeltime/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';

/**
 * `Idempotency-Key`: the first answer to a key (per user) is kept for 24 hours and replayed to
 * retries with `Idempotent-Replayed: true`; the same key with another request is a 422. While
 * the first request runs, a concurrent retry waits for its answer instead of running again.
 */
const KEY = /^[\x21-\x7e]{1,200}$/;
const TTL_HOURS = 24;
/** A claim this old without an answer belongs to a crashed process and may be taken over. */
const ABANDONED_SECONDS = 30;
const WAIT_FOR_FIRST_MS = 5_000;
const REPLAYED_HEADERS = ['content-type', 'etag', 'x-position', 'location'];

type Stored = { status: number; headers: Record<string, string>; body: string };
type Claim = { kind: 'claimed' } | { kind: 'replay'; answer: Stored } | { kind: 'mismatch' } | { kind: 'in_progress' };

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | undefined;
  }
}

/** Key order must not matter: `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export class IdempotencyStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  async claim(userId: string, key: string, requestHash: Buffer): Promise<Claim> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      const inserted = await this.pool.query(
        `INSERT INTO ${this.schema}.idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [userId, key, requestHash],
      );
      if (inserted.rowCount === 1) return { kind: 'claimed' };
      const { rows } = await this.pool.query<{
        request_hash: Buffer;
        status: number | null;
        headers: Record<string, string> | null;
        body: string | null;
        expired: boolean;
        abandoned: boolean;
      }>(
        `SELECT request_hash, status, headers, body,
                created_at < now() - make_interval(hours => $3) AS expired,
                created_at < now() - make_interval(secs => $4) AS abandoned
           FROM ${this.schema}.idempotency_keys WHERE user_id = $1 AND key = $2`,
        [userId, key, TTL_HOURS, ABANDONED_SECONDS],
      );
      const row = rows[0];
      if (!row) continue; // released meanwhile: claim again
      if (row.expired) {
        await this.release(userId, key);
        continue;
      }
      if (!row.request_hash.equals(requestHash)) return { kind: 'mismatch' };
      if (row.status !== null) return { kind: 'replay', answer: { status: row.status, headers: row.headers ?? {}, body: row.body ?? '' } };
      if (row.abandoned) {
        const taken = await this.pool.query(
          `UPDATE ${this.schema}.idempotency_keys SET created_at = now()
            WHERE user_id = $1 AND key = $2 AND status IS NULL AND created_at < now() - make_interval(secs => $3)`,
          [userId, key, ABANDONED_SECONDS],
        );
        if (taken.rowCount === 1) return { kind: 'claimed' };
      }
      if (Date.now() > deadline) return { kind: 'in_progress' };
      await sleep(pause);
    }
  }

  async complete(userId: string, key: string, answer: Stored): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.schema}.idempotency_keys SET status = $3, headers = $4, body = $5 WHERE user_id = $1 AND key = $2`,
      [userId, key, answer.status, answer.headers, answer.body],
    );
  }

  async release(userId: string, key: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.schema}.idempotency_keys WHERE user_id = $1 AND key = $2`, [userId, key]);
  }

  async purgeExpired(): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.schema}.idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
      [TTL_HOURS],
    );
    return rowCount ?? 0;
  }
}

/** Answers that must not be replayed: the retry should really be tried again (so the answer says, with Retry-After). */
const retryable = (status: number, retryAfter: unknown) => status >= 500 || status === 429 || retryAfter !== undefined;

/**
 * Claims whose release failed (the database went away mid-request): retried every second, so
 * a client retrying its key once the database is back is not told "in progress" for long.
 */
class PendingReleases {
  readonly #pending = new Map<string, { userId: string; key: string }>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly everyMs = 1000,
  ) {}

  add(userId: string, key: string): void {
    this.#pending.set(`${userId}\u0000${key}`, { userId, key });
    this.#timer ??= setInterval(() => void this.#flush(), this.everyMs).unref();
  }

  async #flush(): Promise<void> {
    for (const [id, { userId, key }] of this.#pending) {
      try {
        await this.store.release(userId, key);
        this.#pending.delete(id);
      } catch {
        return; // still unreachable: next round
      }
    }
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** Claims the request's Idempotency-Key (if it has one) for `body`: the reply when it was already answered (a replay, sent), else undefined and the command runs. */
export type IdempotencyClaim = (request: FastifyRequest, reply: FastifyReply, body: unknown) => Promise<FastifyReply | undefined>;

/** The two hooks of a command route, sharing one set of claims to release in the background. */
export type IdempotencyHooks = {
  /** preHandler, after authentication: claims the key for the parsed body, or answers with the first request's answer. */
  claim: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  /**
   * The same for `body`, what the request asks, for a route whose body the preHandler cannot see
   * (a multipart upload, read in the handler): the route calls it with what it read.
   */
  claimFor: IdempotencyClaim;
  /** onSend: stores the answer to a claimed key, or releases the claim when the answer must not be replayed. */
  record: (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>;
  /** Stops retrying failed releases (the service is closing). */
  stop: () => void;
};

export function idempotencyHooks(store: IdempotencyStore): IdempotencyHooks {
  const pending = new PendingReleases(store);
  const release = (request: FastifyRequest, userId: string, key: string, error: unknown) => {
    request.log.warn({ err: error }, 'idempotency claim not released; retrying in the background');
    pending.add(userId, key);
  };

  async function record(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const key = request.idempotencyKey;
    const userId = request.userId;
    if (key === undefined || userId === undefined) return payload;
    request.idempotencyKey = undefined;
    if (retryable(reply.statusCode, reply.getHeader('retry-after')) || typeof payload !== 'string') {
      await store.release(userId, key).catch((error: unknown) => release(request, userId, key, error));
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    // The command itself succeeded: its answer stands. Unrecorded, a retry runs the command again
    // against the stream as it is now (a rating already given appends nothing).
    await store
      .complete(userId, key, { status: reply.statusCode, headers, body: payload })
      .catch((error: unknown) => release(request, userId, key, error));
    return payload;
  }

  async function claimFor(request: FastifyRequest, reply: FastifyReply, body: unknown): Promise<FastifyReply | undefined> {
    const header = request.headers['idempotency-key'];
    if (header === undefined) return undefined;
    if (typeof header !== 'string' || !KEY.test(header)) {
      throw new HttpProblem(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1-200 visible ASCII characters.', {
        errors: [{ in: 'headers', field: '/idempotency-key', message: 'must be 1-200 visible ASCII characters' }],
      });
    }
    const userId = request.userId!;
    const hash = createHash('sha256')
      .update(canonical({ method: request.method, route: request.routeOptions.url, params: request.params, body }))
      .digest();
    const claimed = await store.claim(userId, header, hash);
    switch (claimed.kind) {
      case 'claimed':
        request.idempotencyKey = header;
        return undefined;
      case 'replay':
        return reply
          .code(claimed.answer.status)
          .headers({ ...claimed.answer.headers, 'idempotent-replayed': 'true' })
          .send(claimed.answer.body);
      case 'mismatch':
        throw new HttpProblem(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request.');
      case 'in_progress':
        throw new HttpProblem(409, 'request_in_progress', 'A request with this Idempotency-Key is still running; retry shortly.', {
          headers: { 'retry-after': '1' },
        });
    }
  }

  const claim = (request: FastifyRequest, reply: FastifyReply) => claimFor(request, reply, request.body ?? null);
  return { claim, claimFor, record, stop: () => pending.stop() };
}
