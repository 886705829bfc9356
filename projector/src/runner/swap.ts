import type pg from 'pg';
import type { Logger } from 'pino';
import { onClientInTransaction, rollBack, type RolledBack } from '@reeltime/eventstore/transactions';
import { installViews } from '../core/views.ts';
import type { Projection } from '../model/projection.ts';
import { ident } from '../model/sql.ts';
import type { LiveUpdate } from './live.ts';

const LOCK_NOT_AVAILABLE = '55P03';

export type SwapRequest = {
  core: string;
  readSchema: string;
  projection: Projection;
  /** The building generation, caught up to `checkpoint` under its lease. */
  schema: string;
  checkpoint: string;
  log: Logger;
};

/** The notices the swap published (to send on NATS) and the generation it replaced. */
export type Swapped = { moved: LiveUpdate[]; replaced: string | undefined };

/**
 * Blue/green swap, once the building generation is at or past the serving one: in one
 * transaction the serving row is locked (its runner's next compare-and-set then fails),
 * held-back notices are published into live_updates, statuses flip and the read views move
 * over. Undefined when it cannot happen yet: the serving generation is ahead, or the read views
 * are busy.
 */
export async function swapIn(client: pg.ClientBase, request: SwapRequest): Promise<Swapped | undefined> {
  try {
    return await onClientInTransaction(client, () => swap(client, request));
  } catch (error) {
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) {
      request.log.info({ projection: request.projection.name }, 'read views busy; swap retried shortly');
      return undefined;
    }
    throw error;
  }
}

async function swap(client: pg.ClientBase, request: SwapRequest): Promise<Swapped | RolledBack<undefined>> {
  const { projection } = request;
  const core = ident(request.core);
  const schema = ident(request.schema);
  const serving = await client.query<{ schema_name: string; checkpoint: string }>(
    `SELECT schema_name, checkpoint FROM ${core}.projections WHERE projection = $1 AND status = 'serving' FOR UPDATE`,
    [projection.name],
  );
  const old = serving.rows[0];
  if (old !== undefined && old.checkpoint > request.checkpoint) return rollBack(undefined);
  const published = await client.query<LiveUpdate>(
    `INSERT INTO ${core}.live_updates (channel, position, data, projection)
     SELECT channel, position, data, $1 FROM ${schema}.pending_live_updates WHERE $2::text IS NULL OR position > $2
     ORDER BY position
     ON CONFLICT DO NOTHING
     RETURNING channel, position, data, projection`,
    [projection.name, old?.checkpoint ?? null],
  );
  if (old !== undefined) {
    await client.query(`UPDATE ${core}.projections SET status = 'retired', updated_at = now() WHERE schema_name = $1`, [old.schema_name]);
  }
  const mine = await client.query(
    `UPDATE ${core}.projections SET status = 'serving', serving_since = now(), updated_at = now()
      WHERE schema_name = $1 AND status = 'building' AND checkpoint = $2`,
    [request.schema, request.checkpoint],
  );
  if (mine.rowCount !== 1) throw new Error(`generation ${request.schema} changed under its own lease`);
  const { rows: deferred } = await client.query(`SELECT name FROM ${schema}.deferred_indexes`);
  if (deferred.length > 0) throw new Error(`generation ${request.schema} still lacks indexes ${deferred.map((d) => d.name).join(', ')}`);
  // Below deadlock_timeout (1 s): see installViews.
  await client.query(`SET LOCAL lock_timeout = '300ms'`);
  await installViews(client, request.readSchema, projection, request.schema);
  await client.query(`DELETE FROM ${schema}.pending_live_updates`);
  return { moved: published.rows, replaced: old?.schema_name };
}

/** Drops a replaced generation. Best effort: a drop that cannot get its locks soon is left to the supervisor's cleanup. */
export async function dropReplaced(client: pg.ClientBase, core: string, schema: string, log: Logger): Promise<void> {
  try {
    await onClientInTransaction(client, async () => {
      await client.query(`SET LOCAL lock_timeout = '5s'`);
      await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
      await client.query(`DELETE FROM ${ident(core)}.projections WHERE schema_name = $1 AND status = 'retired'`, [schema]);
    });
  } catch (error) {
    log.warn({ err: error, schema }, 'could not drop the retired schema yet');
  }
}
