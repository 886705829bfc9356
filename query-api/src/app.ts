import {
  HttpProblem,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
  createHttpService,
  type AuthSettings,
  type HttpService,
  type TrustProxy,
} from '@reeltime/platform';
import websocket from '@fastify/websocket';
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { InvalidInputError } from 'slonik';
import { ExportDocument } from '@reeltime/schemas';
import { consistency } from './consistency/hook.ts';
import { PositionTracker, type PositionTrackerOptions, type ProjectionName } from './consistency/positions.ts';
import { type ReadDb, readQuery } from './db.ts';
import { DEFAULT_EXPORT_LIMITS, exportRoutes, type ExportLimits } from './export/routes.ts';
import { feedRoutes } from './feed/routes.ts';
import { importRoutes } from './imports/routes.ts';
import { listRoutes, myListRoutes, userListRoutes } from './lists/routes.ts';
import { LiveHub } from './live/hub.ts';
import type { LogPollerOptions } from './live/log-poller.ts';
import { WEBSOCKET_OPTIONS, liveRoutes } from './live/routes.ts';
import { DEFAULT_LIMITS, type SessionLimits } from './live/outbox.ts';
import { meRoutes } from './me/routes.ts';
import { genreRoutes, titleRoutes } from './titles/routes.ts';

export type QueryApiOptions = {
  db: ReadDb;
  /** Notices and live updates; without it positions are polled slowly and sockets get backfill only. */
  nats: NatsConnection | undefined;
  subjectPrefix: string;
  auth: AuthSettings;
  logger: Logger;
  rateLimitPerMinute?: number;
  /** Peers whose `X-Forwarded-For` is believed (`TRUST_PROXY`); default `loopback`. */
  trustProxy?: TrustProxy;
  consistencyWaitMs?: number;
  liveConnectsPerMinute?: number;
  pingMs?: number;
  liveLimits?: Partial<SessionLimits>;
  /** How often the live-update log is read (DEFAULT_LOG_POLLER). */
  livePoller?: LogPollerOptions;
  positions?: PositionTrackerOptions;
  /** `GET /me/export`: how many at once, and for how long at most. */
  exportLimits?: Partial<ExportLimits>;
};

export type QueryApi = HttpService & { tracker: PositionTracker; hub: LiveHub };

// A view not created yet (the projector has not started) is "try again", not a bug; connection
// trouble is the platform's 503 (isDependencyUnavailable).
const VIEW_MISSING = '42P01';

/** The SQLSTATE of a PostgreSQL error, also when another error wraps it (as its `cause`). */
function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 5; depth++) {
    const { code, severity } = current as { code?: unknown; severity?: unknown };
    if (typeof code === 'string' && severity !== undefined) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function mapError(error: unknown): HttpProblem | undefined {
  const code = sqlState(error);
  // Class 22 (data exception): a value that passed validation but not Postgres (e.g. a forged
  // cursor holding 2024-02-31). The client's input, not our bug. So is a value slonik's tags
  // refuse (InvalidInputError).
  if (code?.startsWith('22') || error instanceof InvalidInputError) {
    return new HttpProblem(400, 'invalid_parameter', 'A parameter (or cursor) holds a value that is out of range.');
  }
  if (code !== VIEW_MISSING) return undefined;
  return new HttpProblem(503, 'read_models_unavailable', 'The read models are not there yet; retry shortly.', {
    headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
  });
}

export async function buildQueryApi(options: QueryApiOptions): Promise<QueryApi> {
  const { db, nats, logger } = options;
  const app = await createHttpService({
    name: 'query-api',
    description:
      'Reads over the projected read models, and live updates over a WebSocket. Every answer carries `X-Position`; ' +
      'send `X-Min-Position: <position of your command>` to read your own write.',
    logger,
    auth: options.auth,
    rateLimitPerMinute: options.rateLimitPerMinute,
    trustProxy: options.trustProxy,
    ready: async () => {
      await db.any(readQuery`SELECT 1`);
      return nats === undefined || !nats.isClosed();
    },
    mapError,
  });

  const tracker = new PositionTracker(db, logger, options.positions);
  await tracker.start(nats, options.subjectPrefix);
  const hub = new LiveHub(logger, options.pingMs, db, options.livePoller);
  hub.start(nats, options.subjectPrefix, (projection) => tracker.current([projection as ProjectionName]));
  app.addHook('onClose', async () => {
    tracker.stop();
    hub.stop();
  });
  // A lower bound for every answer, errors included; routes replace it with their own.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('x-position', tracker.current());
  });

  const deps = { db, consistent: consistency(tracker, options.consistencyWaitMs ?? 5000) };
  // On the root instance, so that the OpenAPI document lists it among its shared schemas; before
  // any slice, because a schema added to the root later is also added to the slices registered
  // so far, and Fastify then rebuilds their validators with its default Ajv, not the platform's.
  app.addSchema(ExportDocument);
  await app.register(titleRoutes, { prefix: '/titles', ...deps });
  await app.register(genreRoutes, { prefix: '/genres', ...deps });
  await app.register(myListRoutes, { prefix: '/me/lists', ...deps });
  await app.register(userListRoutes, { prefix: '/users', ...deps });
  await app.register(listRoutes, { prefix: '/lists', ...deps });
  await app.register(meRoutes, { prefix: '/me', ...deps, tracker });
  await app.register(feedRoutes, { prefix: '/feed', ...deps });
  await app.register(exportRoutes, { prefix: '/me/export', ...deps, limits: { ...DEFAULT_EXPORT_LIMITS, ...options.exportLimits } });
  await app.register(importRoutes, { prefix: '/imports', ...deps });
  // On the root and after the other slices: the plugin listens for upgrades on the server, so an
  // upgrade to any path gets its answer and then the socket closed (root hooks), while only the
  // routes registered after it (just `/live`) are wrapped to accept one.
  await app.register(websocket, WEBSOCKET_OPTIONS);
  await app.register(liveRoutes, {
    prefix: '/live',
    db,
    hub,
    tracker,
    log: logger,
    limits: { ...DEFAULT_LIMITS, ...options.liveLimits },
    connectsPerMinute: options.liveConnectsPerMinute ?? 120,
  });
  return Object.assign(app, { tracker, hub });
}
