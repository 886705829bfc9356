import type pg from 'pg';
import type { Logger } from 'pino';
import { onClientInTransaction, rollBack } from '@reeltime/eventstore/transactions';
import { ident, type Queryable } from '../model/sql.ts';

/** Every generation has the table (empty unless its build deferred some indexes). */
export async function createDeferredIndexTable(db: Queryable, schema: string): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS ${ident(schema)}.deferred_indexes (name text PRIMARY KEY, definition text NOT NULL)`);
}

/**
 * A fresh build (building, checkpoint still at the start) drops these indexes and keeps their
 * definitions, in one transaction; `buildDeferredIndexes` creates them again once caught up.
 * A generation that has already projected something is left alone.
 */
export async function deferIndexes(
  client: pg.ClientBase,
  core: string,
  schema: string,
  startPosition: string,
  names: readonly string[],
): Promise<string[]> {
  if (names.length === 0) return [];
  const s = ident(schema);
  return onClientInTransaction(client, async () => {
    const fresh = await client.query(
      `SELECT 1 FROM ${ident(core)}.projections WHERE schema_name = $1 AND status = 'building' AND checkpoint = $2 FOR UPDATE`,
      [schema, startPosition],
    );
    if (fresh.rowCount !== 1) return rollBack([]);
    const { rows } = await client.query<{ name: string }>(
      `INSERT INTO ${s}.deferred_indexes (name, definition)
       SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = ANY($2::text[])
       ON CONFLICT DO NOTHING RETURNING name`,
      [schema, names],
    );
    for (const { name } of rows) await client.query(`DROP INDEX ${s}.${ident(name)}`);
    return rows.map((row) => row.name);
  });
}

/** Names of the indexes still deferred. */
export async function deferredIndexes(db: Queryable, schema: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`SELECT name FROM ${ident(schema)}.deferred_indexes ORDER BY name`);
  return rows.map((row) => row.name);
}

/**
 * Creates one deferred index in its own transaction: the index and the removal of its
 * definition commit together, so a crash in between repeats nothing.
 */
export async function buildDeferredIndex(client: pg.ClientBase, schema: string, name: string, log: Logger): Promise<void> {
  const s = ident(schema);
  const started = performance.now();
  await onClientInTransaction(client, async () => {
    const { rows } = await client.query<{ definition: string }>(`DELETE FROM ${s}.deferred_indexes WHERE name = $1 RETURNING definition`, [
      name,
    ]);
    if (rows[0] === undefined) return;
    await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    await client.query(rows[0].definition);
  });
  log.info({ schema, index: name, ms: Math.round(performance.now() - started) }, 'deferred index built');
}

/** Creates every deferred index, one after the other. Returns how many. */
export async function buildDeferredIndexes(client: pg.ClientBase, schema: string, log: Logger): Promise<number> {
  const names = await deferredIndexes(client, schema);
  for (const name of names) await buildDeferredIndex(client, schema, name, log);
  return names.length;
}
