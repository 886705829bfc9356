import pg from 'pg';
import pino from 'pino';
import { createPostgresEventStore, type PostgresEventStore } from '@reeltime/eventstore/postgres';
import { postgresUrlForTests, uniqueSchemaName } from '@reeltime/eventstore/testing';
import { createReadModelPool } from '../core/db.ts';
import { projectorSettings, type ProjectorSettings } from '../settings.ts';

export type Harness = {
  url: string;
  base: string;
  env: Record<string, string>;
  settings: ProjectorSettings;
  store: PostgresEventStore;
  pool: pg.Pool;
  log: pino.Logger;
  /** Reads a `read.<view>` of this harness. */
  read<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
  lastAppended(): Promise<string>;
  close(): Promise<void>;
};

/**
 * Every name a test run uses (store schema, projector schemas, read schema, NATS subjects)
 * starts with one unique base, so test files run side by side and clean up with one query.
 */
export async function createHarness(prefix: string, overrides: Record<string, string> = {}): Promise<Harness> {
  // A drill's own PostgreSQL cluster comes in as DATABASE_URL.
  const url = overrides.DATABASE_URL ?? (await postgresUrlForTests());
  const base = uniqueSchemaName(prefix);
  const env: Record<string, string> = {
    DATABASE_URL: url,
    EVENT_STORE: 'postgres',
    EVENTSTORE_SCHEMA: `${base}_es`,
    EVENTSTORE_POOL_SIZE: '3',
    PROJECTOR_SCHEMA: `${base}_core`,
    READ_SCHEMA: `${base}_read`,
    PROJECTOR_SCHEMA_PREFIX: `${base}_rm_`,
    LIVE_SUBJECT_PREFIX: base,
    PROJECTOR_PORT: '0',
    PROJECTOR_LEASE_RETRY_MS: '200',
    ...overrides,
  };
  const settings = projectorSettings(env);
  const store = await createPostgresEventStore({ connectionString: url, schema: env.EVENTSTORE_SCHEMA!, poolSize: 3, idlePollMs: 200 });
  const pool = createReadModelPool(url, 3);
  const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  pool.on('error', (error) => log.warn({ err: error }, 'harness pool'));
  const readSchema = settings.readSchema;
  return {
    url,
    base,
    env,
    settings,
    store,
    pool,
    log,
    read: async (sql, values) => (await pool.query(sql.replaceAll('read.', `${readSchema}.`), values)).rows,
    /**
     * The position of the last event appended so far, whether readers see it yet or not:
     * `headPosition()` stops below the cluster-wide xmin horizon, which other test files' open
     * transactions hold back, so "caught up to the head" could pass before the last events were projected.
     */
    lastAppended: () => store.lastAppendedPosition(),
    close: async () => {
      await store.close();
      const { rows } = await pool.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)`, [base]);
      for (const { nspname } of rows) await pool.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
      await pool.end();
    },
  };
}

/** Polls until `check` passes or `ms` run out (then rethrows its last failure). */
export async function eventually<T>(check: () => Promise<T>, ms = 15_000, every = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, every));
    }
  }
}
