import { HttpProblem, createHttpService, type AuthSettings, type HttpService, type TrustProxy } from '@reeltime/platform';
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { consistency } from './consistency/hook.ts';
import { PositionTracker, type PositionTrackerOptions } from './consistency/positions.ts';
import type { ReadDb } from './db.ts';
import { feedRoutes } from './feed/routes.ts';
import { importRoutes } from './imports/routes.ts';
import { listRoutes } from './lists/routes.ts';
import { LiveHub } from './live/hub.ts';
import { liveRoutes } from './live/routes.ts';
import { DEFAULT_LIMITS, type SessionLimits } from './live/session.ts';
import { meRoutes } from './me/routes.ts';
import { titleRoutes } from './titles/routes.ts';

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
  positions?: PositionTrackerOptions;
};

export type QueryApi = HttpService & { tracker: PositionTracker; hub: LiveHub };

// Postgres classes 08 (connection), 53 (resources), 57 (operator intervention, incl. timeouts)
// and 42P01 (a view not created yet: the projector has not started) are "try again", not bugs.
const UNAVAILABLE = /^(08|53|57|42P01)/;

function mapError(error: unknown): HttpProblem | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  // Class 22 (data exception): a value that passed validation but not Postgres (e.g. a forged
  // cursor holding 2024-02-31). The client's input, not our bug.
  if (typeof code === 'string' && code.startsWith('22') && (error as { severity?: unknown }).severity !== undefined) {
    return new HttpProblem(400, 'invalid_parameter', 'A parameter (or cursor) holds a value that is out of range.');
  }
  const unavailable =
    (typeof code === 'string' && (UNAVAILABLE.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND'].includes(code))) ||
    (typeof message === 'string' && /timeout exceeded when trying to connect|Connection terminated/i.test(message));
  if (!unavailable) return undefined;
  return new HttpProblem(503, 'read_models_unavailable', 'The read models are unreachable right now; retry shortly.', { headers: { 'retry-after': '2' } });
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
      await db.pool.query('SELECT 1');
      return nats === undefined || !nats.isClosed();
    },
    mapError,
  });

  const tracker = new PositionTracker(db, logger, options.positions);
  await tracker.start(nats, options.subjectPrefix);
  const hub = new LiveHub(logger, options.pingMs);
  hub.start(nats, options.subjectPrefix);
  app.addHook('onClose', async () => {
    tracker.stop();
    hub.stop();
  });
  // A lower bound for every answer, errors included; routes replace it with their own.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('x-position', tracker.current());
  });

  const deps = { db, consistent: consistency(tracker, options.consistencyWaitMs ?? 5000) };
  titleRoutes(app, deps);
  listRoutes(app, deps);
  meRoutes(app, { ...deps, tracker });
  feedRoutes(app, deps);
  importRoutes(app, deps);
  await liveRoutes(app, {
    db,
    hub,
    tracker,
    log: logger,
    limits: { ...DEFAULT_LIMITS, ...options.liveLimits },
    connectsPerMinute: options.liveConnectsPerMinute ?? 120,
  });
  return Object.assign(app, { tracker, hub });
}
