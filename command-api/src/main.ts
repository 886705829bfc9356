import { openEventStore } from '@reeltime/eventstore';
import { createLogger, onShutdown } from '@reeltime/platform';
import { settingsOrExit } from '@reeltime/platform/config';
import pg from 'pg';
import { buildCommandApi } from './app.ts';
import { IdempotencyStore } from './handling/idempotency.ts';
import { migrateCommandTables } from './migrations.ts';
import { commandApiSettings } from './settings.ts';

const settings = settingsOrExit(() => commandApiSettings());
const log = createLogger('command-api', settings.logLevel);
const schema = settings.commandSchema;

const store = await openEventStore(settings.store, (error) => log.warn({ err: error }, 'event store'));
// A connection that cannot be made in 5 s is an outage (503), not a request left hanging.
const pool = new pg.Pool({ connectionString: settings.store.databaseUrl, max: settings.poolSize, connectionTimeoutMillis: 5000 });
pool.on('error', (error) => log.warn({ err: error }, 'command database'));
// A checked-out client losing its connection between queries: its next query fails, no crash.
pool.on('connect', (client) => client.on('error', () => {}));
await migrateCommandTables(pool, schema);

const app = await buildCommandApi({
  store,
  pool,
  schema,
  auth: settings.auth,
  logger: log,
  rateLimitPerMinute: settings.rateLimitPerMinute,
  authAttemptsPerMinute: settings.authAttemptsPerMinute,
  trustProxy: settings.trustProxy,
  readSchema: settings.readSchema,
  importLimits: { maxFileBytes: settings.importMaxBytes },
});
await app.listen({ host: settings.host, port: settings.port });

const idempotency = new IdempotencyStore(pool, schema);
const purge = setInterval(() => {
  idempotency.purgeExpired().catch((error: unknown) => log.warn({ err: error }, 'purging idempotency keys'));
}, 3600_000);
purge.unref();

onShutdown(log, async () => {
  await app.close();
  await Promise.allSettled([store.close(), pool.end()]);
});
