import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { inTransaction, rollBack } from '@reeltime/eventstore/transactions';
import type pg from 'pg';

export type Account = { userId: string; email: string; passwordHash: string; displayName: string };

/** Refresh tokens are `<tokenId>.<secret>`; only a hash of the secret is stored. */
export type IssuedRefreshToken = { token: string; familyId: string };

export type RefreshOutcome =
  { kind: 'rotated'; userId: string; displayName: string; next: IssuedRefreshToken } | { kind: 'reused' } | { kind: 'invalid' };

const REFRESH_TOKEN_DAYS = 30;
const TOKEN_SHAPE = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest();

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** Every query names the schema, so the same statements run on the store's transaction client. */
export class AccountStore {
  constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  async insert(db: Queryable, account: Account): Promise<'created' | 'email_taken'> {
    const result = await db.query(
      `INSERT INTO ${this.schema}.accounts (user_id, email, password_hash, display_name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (email) DO NOTHING`,
      [account.userId, account.email, account.passwordHash, account.displayName],
    );
    return result.rowCount === 1 ? 'created' : 'email_taken';
  }

  async findByEmail(email: string): Promise<Account | undefined> {
    const { rows } = await this.pool.query<{ user_id: string; email: string; password_hash: string; display_name: string }>(
      `SELECT user_id, email, password_hash, display_name FROM ${this.schema}.accounts WHERE email = $1`,
      [email],
    );
    const row = rows[0];
    return row && { userId: row.user_id, email: row.email, passwordHash: row.password_hash, displayName: row.display_name };
  }

  async exists(userId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query({
      name: 'account_exists',
      text: `SELECT 1 FROM ${this.schema}.accounts WHERE user_id = $1`,
      values: [userId],
    });
    return rowCount === 1;
  }

  /** Credentials, sessions and idempotency records go; refresh tokens cascade. */
  async erase(db: Queryable, userId: string): Promise<boolean> {
    await db.query(`DELETE FROM ${this.schema}.idempotency_keys WHERE user_id = $1`, [userId]);
    const result = await db.query(`DELETE FROM ${this.schema}.accounts WHERE user_id = $1`, [userId]);
    return result.rowCount === 1;
  }

  async issueRefreshToken(userId: string, familyId: string = randomUUID(), db: Queryable = this.pool): Promise<IssuedRefreshToken> {
    const tokenId = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    await db.query(
      `INSERT INTO ${this.schema}.refresh_tokens (token_id, family_id, user_id, secret_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))`,
      [tokenId, familyId, userId, sha256(secret), REFRESH_TOKEN_DAYS],
    );
    return { token: `${tokenId}.${secret}`, familyId };
  }

  /**
   * Marks the token used and issues its successor in one transaction. The conditional UPDATE
   * makes two concurrent refreshes with one token race for a single winner; the loser is
   * treated as reuse, which is what it looks like from here.
   *
   * The account row is share-locked first (before the token row, the order `revokeAllOf` and
   * erasure lock in too): a refresh running beside "sign out everywhere" either finishes first,
   * and its new token is revoked with the rest, or waits and finds its token revoked.
   */
  async rotate(token: string): Promise<RefreshOutcome> {
    const match = TOKEN_SHAPE.exec(token);
    if (!match) return { kind: 'invalid' };
    const [, tokenId, secret] = match as unknown as [string, string, string];
    return inTransaction<RefreshOutcome>(this.pool, async (client) => {
      await client.query(
        `SELECT 1 FROM ${this.schema}.accounts WHERE user_id = (SELECT user_id FROM ${this.schema}.refresh_tokens WHERE token_id = $1) FOR SHARE`,
        [tokenId],
      );
      const { rows } = await client.query<{
        family_id: string;
        user_id: string;
        secret_hash: Buffer;
        expired: boolean;
        used: boolean;
        revoked: boolean;
        display_name: string;
      }>(
        `SELECT t.family_id, t.user_id, t.secret_hash, t.expires_at < now() AS expired, t.used_at IS NOT NULL AS used,
                t.revoked_at IS NOT NULL AS revoked, a.display_name
           FROM ${this.schema}.refresh_tokens t JOIN ${this.schema}.accounts a USING (user_id)
          WHERE t.token_id = $1 FOR UPDATE OF t`,
        [tokenId],
      );
      const row = rows[0];
      if (!row || !timingSafeEqual(row.secret_hash, sha256(secret))) return rollBack({ kind: 'invalid' });
      if (row.used || row.revoked) {
        await client.query(`UPDATE ${this.schema}.refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = $1`, [
          row.family_id,
        ]);
        return row.used ? { kind: 'reused' } : { kind: 'invalid' };
      }
      if (row.expired) return rollBack({ kind: 'invalid' });
      await client.query(`UPDATE ${this.schema}.refresh_tokens SET used_at = now() WHERE token_id = $1`, [tokenId]);
      const next = await this.issueRefreshToken(row.user_id, row.family_id, client);
      return { kind: 'rotated', userId: row.user_id, displayName: row.display_name, next };
    });
  }

  /**
   * "Sign out everywhere": revokes every refresh token of the user, so no login (family) can be
   * refreshed again. Locks the account row first, like `rotate`, so a refresh in flight cannot
   * slip a fresh token past it. Returns how many tokens were still live.
   */
  async revokeAllOf(userId: string): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      await client.query(`SELECT 1 FROM ${this.schema}.accounts WHERE user_id = $1 FOR NO KEY UPDATE`, [userId]);
      const result = await client.query(
        `UPDATE ${this.schema}.refresh_tokens SET revoked_at = now()
          WHERE user_id = $1 AND revoked_at IS NULL AND used_at IS NULL AND expires_at > now()`,
        [userId],
      );
      return result.rowCount ?? 0;
    });
  }

  /** Logout ends the whole login (family), whichever of its tokens is presented. */
  async revokeFamilyOf(token: string): Promise<void> {
    const match = TOKEN_SHAPE.exec(token);
    if (!match) return;
    const [, tokenId, secret] = match as unknown as [string, string, string];
    await this.pool.query(
      `UPDATE ${this.schema}.refresh_tokens SET revoked_at = coalesce(revoked_at, now())
        WHERE family_id = (SELECT family_id FROM ${this.schema}.refresh_tokens WHERE token_id = $1 AND secret_hash = $2)`,
      [tokenId, sha256(secret)],
    );
  }
}
