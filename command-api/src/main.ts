import { openEventStore } from '@reeltime/eventstore';
import { createLogger, onShutdown } from '@reeltime/platform';
import { settingsOrExit, startedOrExit } from '@reeltime/platform/config';
import { buildCommandApi } from './app.ts';
import { createCommandPool } from './command-pool.ts';
import { IdempotencyStore } from './handling/idempotency.ts';
import { migrateCommandTables } from './migrations.ts';
import { commandApiSettings } from './settings.ts';

const settings = settingsOrExit(() => commandApiSettings());
const log = createLogger('command-api', settings.logLevel);
const schema = settings.commandSchema;

const pool = createCommandPool(settings.store.databaseUrl, settings.poolSize, log);
const store = await startedOrExit('command-api', async () => {
  const opened = await openEventStore(settings.store, (error) => log.warn({ err: error }, 'event store'));
  await migrateCommandTables(pool, schema);
  return opened;
});

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
