import { eventStoreSettings, openEventStore } from '@reeltime/eventstore';
import { assertSchemaName } from '@reeltime/eventstore/postgres';
import { authSettings, createLogger, onShutdown, trustProxySetting } from '@reeltime/platform';
import pg from 'pg';
import { buildCommandApi } from './app.ts';
import { IdempotencyStore } from './handling/idempotency.ts';
import { migrateCommandTables } from './migrations.ts';

const log = createLogger('command-api');
const env = process.env;
const settings = eventStoreSettings(env);
const schema = assertSchemaName(env.COMMAND_SCHEMA ?? 'command');
const positiveInt = (value: string | undefined, fallback: number) => (value && /^\d+$/.test(value) ? Number(value) : fallback);

const store = await openEventStore(settings, (error) => log.warn({ err: error }, 'event store'));
const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: positiveInt(env.COMMAND_POOL_SIZE, 10) });
pool.on('error', (error) => log.warn({ err: error }, 'command database'));
await migrateCommandTables(pool, schema);

const app = await buildCommandApi({
  store,
  pool,
  schema,
  auth: authSettings(env),
  logger: log,
  rateLimitPerMinute: positiveInt(env.RATE_LIMIT_PER_MINUTE, 600),
  authAttemptsPerMinute: positiveInt(env.AUTH_ATTEMPTS_PER_MINUTE, 20),
  trustProxy: trustProxySetting(env),
  readSchema: assertSchemaName(env.READ_SCHEMA ?? 'read'),
  importLimits: { maxFileBytes: positiveInt(env.IMPORT_MAX_BYTES, 32 * 1024 * 1024) },
});
await app.listen({ host: env.HOST ?? '0.0.0.0', port: positiveInt(env.COMMAND_API_PORT ?? env.PORT, 4001) });

const idempotency = new IdempotencyStore(pool, schema);
const purge = setInterval(() => {
  idempotency.purgeExpired().catch((error: unknown) => log.warn({ err: error }, 'purging idempotency keys'));
}, 3600_000);
purge.unref();

onShutdown(log, async () => {
  await app.close();
  await Promise.allSettled([store.close(), pool.end()]);
});
