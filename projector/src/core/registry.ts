import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { migrate } from '@reeltime/eventstore/postgres';
import type { Projection } from '../model/projection.ts';
import { ident, type Queryable } from '../model/sql.ts';
import type { ProjectorSettings } from '../settings.ts';
import { createDeferredIndexTable, deferIndexes } from './deferred-indexes.ts';
import { installViewsPatiently } from './views.ts';
import { inTransaction } from '@reeltime/eventstore/transactions';

const CORE_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

export type Status = 'building' | 'serving' | 'retired';
export type Generation = { schema_name: string; projection: string; version: number; status: Status; checkpoint: string };

type Names = Pick<ProjectorSettings, 'coreSchema' | 'readSchema' | 'schemaPrefix'>;

/**
 * Schema changes of one installation (core tables, a generation's tables and seed rows, the
 * read views, dropping retired generations) run one at a time across every projector process:
 * two `CREATE TABLE IF NOT EXISTS` of one name at once collide (23505 on pg_type), and DDL
 * statements taking their locks in different orders deadlock (40P01). The lock is a session
 * lock on a connection of its own, so the work uses the pool as usual. With `wait: false` the
 * work is skipped (undefined) when another process holds the lock.
 */
export async function underDdlLock<T>(
  pool: pg.Pool,
  core: string,
  work: () => Promise<T>,
  options: { wait?: boolean } = {},
): Promise<T | undefined> {
  const key = `reeltime:ddl:${core}`;
  const client = await pool.connect();
  let broken = false;
  try {
    if (options.wait === false) {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
      if (!rows[0]!.locked) return undefined;
    } else {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    }
    try {
      return await work();
    } finally {
      // A connection that cannot unlock is closed, which frees the lock just as well.
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => (broken = true));
    }
  } catch (error) {
    broken ||= isConnectionGone(error);
    throw error;
  } finally {
    client.release(broken);
  }
}

const isConnectionGone = (error: unknown) => !(error as { severity?: unknown })?.severity;

/** The projector's own tables and the `read` views over them; safe with several processes starting. */
export async function migrateCore(pool: pg.Pool, names: Names): Promise<void> {
  await underDdlLock(pool, names.coreSchema, () => migrateCoreLocked(pool, names));
}

async function migrateCoreLocked(pool: pg.Pool, names: Names): Promise<void> {
  // One database-wide extension: serialise its creation across every projector and test.
  await inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('reeltime:extensions'))`);
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
  });
  await migrate(pool, { schema: names.coreSchema, directory: CORE_MIGRATIONS });
  const core = ident(names.coreSchema);
  const read = ident(names.readSchema);
  await inTransaction(pool, async (db) => {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`reeltime:views:${read}`]);
    await db.query(`CREATE SCHEMA IF NOT EXISTS ${read}`);
    await db.query(
      `CREATE OR REPLACE VIEW ${read}.projection_positions AS
         SELECT projection, version, checkpoint AS position, updated_at FROM ${core}.projections WHERE status = 'serving'`,
    );
    await db.query(
      `CREATE OR REPLACE VIEW ${read}.live_updates AS SELECT position, channel, data, projection, created_at FROM ${core}.live_updates`,
    );
  });
}

export async function generationsOf(db: Queryable, core: string, projection: string): Promise<Generation[]> {
  const { rows } = await db.query<Generation>(
    `SELECT schema_name, projection, version, status, checkpoint FROM ${ident(core)}.projections WHERE projection = $1`,
    [projection],
  );
  return rows;
}

export async function generation(db: Queryable, core: string, schema: string): Promise<Generation | undefined> {
  const { rows } = await db.query<Generation>(
    `SELECT schema_name, projection, version, status, checkpoint FROM ${ident(core)}.projections WHERE schema_name = $1`,
    [schema],
  );
  return rows[0];
}

/**
 * Registers a new version's schema (serving straight away on a fresh install, else building)
 * and creates its tables. Two processes racing get the same generation: the unique
 * indexes let only one row per status exist, and migrating is idempotent.
 */
export async function createGeneration(
  pool: pg.Pool,
  names: Names,
  projection: Projection,
  status: 'serving' | 'building',
  startPosition: string,
): Promise<Generation> {
  return (await underDdlLock(pool, names.coreSchema, () => createGenerationLocked(pool, names, projection, status, startPosition)))!;
}

async function createGenerationLocked(
  pool: pg.Pool,
  names: Names,
  projection: Projection,
  status: 'serving' | 'building',
  startPosition: string,
): Promise<Generation> {
  const core = ident(names.coreSchema);
  const base = `${names.schemaPrefix}${projection.name}_v${projection.version}`;
  const taken = await pool.query(`SELECT 1 FROM ${core}.projections WHERE schema_name = $1`, [base]);
  const exists = await pool.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [base]);
  let schema = base;
  if (taken.rowCount !== 0 || exists.rowCount !== 0) {
    const { rows } = await pool.query<{ n: string }>(`SELECT nextval('${core}.generations')::text AS n`);
    schema = `${base}_r${rows[0]!.n}`;
  }
  ident(schema);
  const inserted = await pool.query<Generation>(
    `INSERT INTO ${core}.projections (schema_name, projection, version, status, checkpoint, serving_since)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $4 = 'serving' THEN now() END)
     ON CONFLICT DO NOTHING
     RETURNING schema_name, projection, version, status, checkpoint`,
    [schema, projection.name, projection.version, status, startPosition],
  );
  const created = inserted.rows[0] ?? (await generationsOf(pool, names.coreSchema, projection.name)).find((g) => g.status === status);
  if (created === undefined) throw new Error(`could not register a ${status} generation of ${projection.name}`);
  await prepareGenerationLocked(pool, names, projection, created);
  if (created.status === 'building' && projection.deferredIndexes !== undefined) {
    const client = await pool.connect();
    try {
      await deferIndexes(client, names.coreSchema, created.schema_name, startPosition, projection.deferredIndexes);
    } finally {
      client.release();
    }
  }
  return created;
}

/** Tables, seed rows and (when serving) views of a generation; every step is idempotent. */
export async function prepareGeneration(pool: pg.Pool, names: Names, projection: Projection, gen: Generation): Promise<void> {
  await underDdlLock(pool, names.coreSchema, () => prepareGenerationLocked(pool, names, projection, gen));
}

async function prepareGenerationLocked(pool: pg.Pool, names: Names, projection: Projection, gen: Generation): Promise<void> {
  const schema = ident(gen.schema_name);
  await migrate(pool, { schema, directory: projection.migrations });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.pending_live_updates (
       channel text NOT NULL, position text NOT NULL, data jsonb NOT NULL, PRIMARY KEY (channel, position))`,
  );
  await createDeferredIndexTable(pool, schema);
  await projection.seed?.(pool, schema);
  if (gen.status === 'serving') await installViewsPatiently(pool, names.readSchema, projection, schema);
}

/**
 * Drops the schemas of retired generations (a swap drops its own; this catches crashes in
 * between). Skipped (empty) while another process changes schemas.
 */
export async function dropRetired(pool: pg.Pool, core: string, projection?: string): Promise<string[]> {
  return (await underDdlLock(pool, core, () => dropRetiredLocked(pool, core, projection), { wait: false })) ?? [];
}

async function dropRetiredLocked(pool: pg.Pool, core: string, projection?: string): Promise<string[]> {
  const { rows } = await pool.query<{ schema_name: string }>(
    `SELECT schema_name FROM ${ident(core)}.projections WHERE status = 'retired' AND ($1::text IS NULL OR projection = $1)`,
    [projection ?? null],
  );
  for (const { schema_name } of rows) {
    await pool.query(`DROP SCHEMA IF EXISTS ${ident(schema_name)} CASCADE`);
    await pool.query(`DELETE FROM ${ident(core)}.projections WHERE schema_name = $1 AND status = 'retired'`, [schema_name]);
  }
  return rows.map((r) => r.schema_name);
}
