import { ConcurrencyError, DuplicateEventIdError, type EventStore } from '@reeltime/eventstore';
import { HttpProblem, createHttpService, requireUser, type AuthSettings, type HttpService, type TrustProxy } from '@reeltime/platform';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { Logger } from 'pino';
import { AccountStore } from './accounts/account-store.ts';
import { activeAccounts } from './accounts/active-accounts.ts';
import { LoginThrottle, DEFAULT_THROTTLE, type ThrottleSettings } from './accounts/login-throttle.ts';
import { accountRoutes } from './accounts/routes.ts';
import { CommandRefused } from '@reeltime/platform/decider';
import { diaryRoutes } from './diary/routes.ts';
import { commandExecutor } from './handling/execute.ts';
import { IdempotencyStore, idempotencyClaim, idempotencyHandler, registerIdempotency } from './handling/idempotency.ts';
import { StreamQueue } from './handling/stream-queue.ts';
import { titleCatalog } from './handling/titles.ts';
import { listRoutes } from './lists/routes.ts';
import { DEFAULT_UPLOAD_LIMITS } from './imports/read-upload.ts';
import { importRoutes, type ImportRouteDeps } from './imports/routes.ts';
import { ImportRunner } from './imports/runner.ts';
import { UploadStore } from './imports/upload-store.ts';
import { preferenceRoutes } from './preferences/routes.ts';
import { ratingRoutes } from './ratings/routes.ts';

export type CommandApiOptions = {
  store: EventStore;
  /** Pool of the database holding the command side's tables (accounts, sessions, idempotency). */
  pool: pg.Pool;
  /** Schema of those tables (migrated by `migrateCommandTables`). */
  schema: string;
  auth: AuthSettings;
  logger: Logger;
  rateLimitPerMinute?: number;
  authAttemptsPerMinute?: number;
  /** Peers whose `X-Forwarded-For` is believed (`TRUST_PROXY`); default `loopback`. */
  trustProxy?: TrustProxy;
  loginThrottle?: ThrottleSettings;
  passwordCost?: number;
  /** Schema of the read views in `pool`'s database (default `read`): imports match titles against the catalog. */
  readSchema?: string;
  importLimits?: Partial<ImportRouteDeps['limits']>;
};

/** Uploads up to 32 MiB (a 100,000-row diary is about 10 MiB), at most 2 running per user. */
export const DEFAULT_IMPORT_LIMITS: ImportRouteDeps['limits'] = {
  ...DEFAULT_UPLOAD_LIMITS,
  maxFileBytes: 32 * 1024 * 1024,
  maxRunningPerUser: 2,
};

/**
 * Domain and store errors as problems (an unreachable database or store is the platform's 503);
 * anything unmapped is a bug and answers 500.
 */
function mapError(error: unknown): HttpProblem | undefined {
  if (error instanceof CommandRefused) return new HttpProblem(error.status, error.code, error.message);
  if (error instanceof ConcurrencyError) {
    return new HttpProblem(409, 'concurrent_change', 'The resource kept changing while this command ran; retry it.', {
      headers: { 'retry-after': '1' },
    });
  }
  if (error instanceof DuplicateEventIdError) return new HttpProblem(409, 'duplicate_event', error.message);
  return undefined;
}

export async function buildCommandApi(options: CommandApiOptions): Promise<HttpService & { imports: ImportRunner }> {
  const { store, pool, schema } = options;
  const app = await createHttpService({
    name: 'command-api',
    description: 'Writes: validates, decides and appends events. Every success carries a `position` to read your write at.',
    logger: options.logger,
    auth: options.auth,
    // A reorder of a full list (5,000 title ids) is the largest legitimate body.
    bodyLimit: 128 * 1024,
    rateLimitPerMinute: options.rateLimitPerMinute,
    trustProxy: options.trustProxy,
    ready: async () => {
      await Promise.all([store.ping(), pool.query('SELECT 1')]);
      return true;
    },
    mapError,
  });

  const accounts = new AccountStore(pool, schema);
  const idempotency = new IdempotencyStore(pool, schema);
  registerIdempotency(app as never, idempotency);

  const active = activeAccounts(accounts);
  /** A valid token of an erased account is refused too. */
  const requireActiveUser = async (request: FastifyRequest) => {
    await requireUser.call(app as never, request);
    if (!(await active.isActive(request.userId!))) throw new HttpProblem(401, 'account_erased', 'This account no longer exists.');
  };

  const queue = new StreamQueue();
  const deps = {
    store,
    executor: commandExecutor(store, queue),
    titles: titleCatalog(store),
    commandPreHandlers: [requireActiveUser, idempotencyHandler(idempotency)],
  };
  accountRoutes(app, {
    store,
    accounts,
    pool,
    throttle: new LoginThrottle(pool, schema, options.loginThrottle ?? DEFAULT_THROTTLE),
    accessTokenSeconds: options.auth.accessTokenSeconds,
    passwordCost: options.passwordCost,
    authAttemptsPerMinute: options.authAttemptsPerMinute ?? 20,
    requireActiveUser,
    onErased: (userId) => active.forget(userId),
  });
  listRoutes(app, deps);
  ratingRoutes(app, deps);
  diaryRoutes(app, deps);
  preferenceRoutes(app, deps);

  const limits = { ...DEFAULT_IMPORT_LIMITS, ...options.importLimits };
  const uploads = new UploadStore(pool, schema);
  const readSchema = options.readSchema ?? 'read';
  const runner = new ImportRunner({ store, queue, pool, readSchema, uploads, limits, log: options.logger });
  await importRoutes(app, { ...deps, uploads, runner, limits, requireActiveUser, claimIdempotencyKey: idempotencyClaim(idempotency) });
  app.addHook('onReady', () => runner.resumeStale());
  app.addHook('onClose', () => runner.stop());
  return Object.assign(app, { imports: runner });
}
