import type pg from 'pg';
import { inTransaction } from '@reeltime/eventstore/transactions';
import type { Projection } from '../model/projection.ts';
import { ident, type Queryable } from '../model/sql.ts';

const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Points `read.<view>` at a projection version's tables, inside the caller's transaction.
 * CREATE OR REPLACE keeps each view's identity, so running queries and prepared statements
 * carry on; only a version that changed a view's columns falls back to drop and create.
 */
export async function installViews(db: Queryable, readSchema: string, projection: Projection, schema: string): Promise<void> {
  const read = ident(readSchema);
  await db.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`reeltime:views:${read}`]);
  const { rows } = await db.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, viewname) AS name FROM pg_views WHERE schemaname = $1 AND viewname = ANY($2::text[]) ORDER BY viewname`,
    [read, Object.keys(projection.views)],
  );
  // All views at once, before any is replaced: a reader joining two of them must not hold one
  // while we hold the other. Callers set a lock_timeout below deadlock_timeout, so if a reader
  // got in between it is the swap that gives up (and retries), never the query.
  if (rows.length > 0) await db.query(`LOCK TABLE ${rows.map((r) => r.name).join(', ')} IN ACCESS EXCLUSIVE MODE`);
  for (const [name, query] of Object.entries(projection.views)) {
    const sql = query.replaceAll('{schema}', ident(schema));
    const view = `${read}.${ident(name)}`;
    await db.query('SAVEPOINT view_swap');
    try {
      await db.query(`CREATE OR REPLACE VIEW ${view} AS ${sql}`);
      await db.query('RELEASE SAVEPOINT view_swap');
    } catch {
      await db.query('ROLLBACK TO SAVEPOINT view_swap');
      await db.query(`DROP VIEW IF EXISTS ${view}`);
      await db.query(`CREATE VIEW ${view} AS ${sql}`);
    }
  }
}

/**
 * installViews in a transaction of its own (a start-up's serving generation), with a
 * lock_timeout below deadlock_timeout like the swap: when readers hold the views it gives up
 * and tries again shortly, so it neither deadlocks with them nor queues them for long.
 */
export async function installViewsPatiently(
  pool: pg.Pool,
  readSchema: string,
  projection: Projection,
  schema: string,
  attempts = 100,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await inTransaction(pool, async (db) => {
        await db.query(`SET LOCAL lock_timeout = '300ms'`);
        await installViews(db, readSchema, projection, schema);
      });
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
    }
  }
}
