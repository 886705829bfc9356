import { createLogger, onShutdown } from '@reeltime/platform';
import { settingsOrExit } from '@reeltime/platform/config';
import { buildQueryApi } from './app.ts';
import { ReadDb } from './db.ts';
import { connectNats } from './nats.ts';
import { queryApiSettings } from './settings.ts';

const settings = settingsOrExit(() => queryApiSettings());
const log = createLogger('query-api', settings.logLevel);
const db = new ReadDb({
  databaseUrl: settings.databaseUrl,
  schema: settings.readSchema,
  poolSize: settings.poolSize,
  onError: (error) => log.warn({ err: error }, 'read-model database'),
});

// Waits for NATS (retrying for ever): live updates are fastest over it.
const nats = await connectNats(settings.natsUrl);
log.info({ nats: settings.natsUrl }, 'connected to NATS');

const app = await buildQueryApi({
  db,
  nats,
  subjectPrefix: settings.subjectPrefix,
  auth: settings.auth,
  logger: log,
  rateLimitPerMinute: settings.rateLimitPerMinute,
  trustProxy: settings.trustProxy,
  consistencyWaitMs: settings.consistencyWaitMs,
  liveConnectsPerMinute: settings.liveConnectsPerMinute,
});
await app.listen({ host: settings.host, port: settings.port });

onShutdown(log, async () => {
  await app.close();
  await Promise.allSettled([nats.drain(), db.end()]);
});
