import type { AddressInfo } from 'node:net';
import { createPostgresEventStore, type PostgresEventStore } from '@reeltime/eventstore/postgres';
import { dropSchema, postgresUrlForTests, titleImported, uniqueSchemaName } from '@reeltime/eventstore/testing';
import { titleStream, type EventData, type TitleId } from '@reeltime/schemas';
import pg from 'pg';
import pino from 'pino';
import { buildCommandApi, type CommandApiOptions } from '../app.ts';
import { migrateCommandTables } from '../migrations.ts';

export const TEST_AUTH = {
  secret: 'test-secret-for-reeltime-command-api-0123456789',
  audience: 'reeltime',
  issuer: 'reeltime',
  accessTokenSeconds: 900,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers of every shape
export type Answer = { status: number; headers: Headers; body: any };
export type Session = { userId: string; accessToken: string; refreshToken: string; email: string };

/** A real command-api on an ephemeral port over the real PostgreSQL store, in throwaway schemas. */
export async function startCommandApi(overrides: Partial<CommandApiOptions> = {}) {
  const url = await postgresUrlForTests();
  const storeSchema = uniqueSchemaName('capi_es');
  const schema = uniqueSchemaName('capi_cmd');
  const store: PostgresEventStore = await createPostgresEventStore({ connectionString: url, schema: storeSchema });
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await migrateCommandTables(pool, schema);
  const app = await buildCommandApi({
    store,
    pool,
    schema,
    auth: TEST_AUTH,
    logger: pino({ level: 'silent' }),
    rateLimitPerMinute: 100_000,
    authAttemptsPerMinute: 1_000,
    passwordCost: 12,
    ...overrides,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  let registered = 0;

  async function call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    if (options.raw !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(baseUrl + path, { method, headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  return {
    baseUrl,
    app,
    store,
    pool,
    schema,
    call,
    async register(displayName = 'Viewer'): Promise<Session> {
      const email = `viewer${++registered}-${Math.random().toString(36).slice(2, 8)}@example.com`;
      const answer = await call('POST', '/auth/register', { body: { email, password: 'a long password', displayName } });
      if (answer.status !== 201) throw new Error(`register failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      return { ...answer.body, email };
    },
    /**
     * The ListCreated events of one owner, straight from the events table: `readAll` only sees
     * events below the cluster-wide xmin horizon, which other test files' open transactions hold back.
     */
    async listsCreatedBy(ownerId: string): Promise<EventData<'ListCreated'>[]> {
      const { rows } = await store.pool.query(
        `SELECT data FROM events WHERE type = 'ListCreated' AND data->>'ownerId' = $1 ORDER BY global_position`,
        [ownerId],
      );
      return rows.map((row: { data: EventData<'ListCreated'> }) => row.data);
    },
    async eventCount(): Promise<number> {
      const { rows } = await store.pool.query('SELECT count(*)::int AS n FROM events');
      return rows[0].n;
    },
    async seedTitles(...titleIds: TitleId[]): Promise<void> {
      for (const titleId of titleIds)
        await store.appendToStream(titleStream(titleId), [titleImported(titleId as `movie:${number}`)], { expectedVersion: 'no_stream' });
    },
    async close(): Promise<void> {
      await app.close();
      await store.close();
      await pool.end();
      await dropSchema(url, storeSchema);
      await dropSchema(url, schema);
    },
  };
}
export type CommandApiHarness = Awaited<ReturnType<typeof startCommandApi>>;
