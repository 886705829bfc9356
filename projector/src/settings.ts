import type { EventStoreSettings } from '@reeltime/eventstore';
import {
  defineEnv,
  envFlag,
  eventStoreEnv,
  eventStoreSettingsFrom,
  IDENTIFIER,
  isOn,
  logEnv,
  mergeEnv,
  NatsEnv,
  readEnv,
  ReadModelEnv,
} from '@reeltime/platform/config';
import { Type } from 'typebox';

export type ProjectorSettings = {
  databaseUrl: string;
  natsUrl: string;
  port: number;
  /** Registry, live_updates (default `projector`). */
  coreSchema: string;
  /** Where the stable views live (default `read`). */
  readSchema: string;
  /** Prefix of every projection version's schema (default `rm_`). */
  schemaPrefix: string;
  /** NATS subjects start with it (default `reeltime`). */
  subjectPrefix: string;
  batchSize: number;
  batchMs: number;
  /** A live batch closes once no further event arrives within this many ms. */
  batchLingerMs: number;
  /**
   * A building generation catching up (not serving, so no reader waits on it) commits in
   * larger batches, up to this many events, sized so that each transaction takes about
   * `rebuildTransactionMs`: a transaction holds back the event store's readers while it runs.
   */
  rebuildBatchSize: number;
  rebuildTransactionMs: number;
  rebuildBatchMs: number;
  /** Rows a build may keep in memory as its working set (0 = none: load per batch). */
  workingSetRows: number;
  /** A fresh build loads in bulk (see loadInBulk) rather than batch by batch; within workingSetRows. */
  bulkLoad: boolean;
  retentionDays: number;
  /** A projection with `ownThread` runs in a worker thread of its own (see Projection.ownThread). */
  ownThreads: boolean;
  /** How often a standby tries to take the lease. */
  leaseRetryMs: number;
  /** The recommendations projection: shortest time between model refits, and work per upkeep step. */
  recommendations: { refitMs: number; refitShare: number; upkeepBudgetMs: number };
  store: EventStoreSettings;
  /** `LOG_LEVEL`; `npm run replay` logs only warnings unless it is set. */
  logLevel: string;
};

const count = (description: string, fallback: number, minimum = 1) => Type.Integer({ description, minimum, default: fallback });

/** Every variable the projector (service and `npm run replay`) reads. */
export const ProjectorEnv = mergeEnv(
  eventStoreEnv(4),
  NatsEnv,
  ReadModelEnv,
  logEnv(),
  defineEnv({
    PROJECTOR_PORT: count('HTTP port of /metrics and /health/*', 4003, 0),
    PROJECTOR_SCHEMA: Type.String({
      description: 'schema of the projection registry and the live-update log',
      pattern: IDENTIFIER,
      default: 'projector',
    }),
    PROJECTOR_SCHEMA_PREFIX: Type.String({
      description: "prefix of every projection version's schema",
      pattern: '^[a-z_][a-z0-9_]{0,40}$',
      default: 'rm_',
    }),
    // Short batches keep the projector's transactions short: the store's readers wait for
    // every older transaction, so a long one here would delay every subscriber.
    PROJECTOR_BATCH_SIZE: count('most events in one live batch', 1000),
    PROJECTOR_BATCH_MS: count('longest a live batch collects events, in ms', 50),
    PROJECTOR_BATCH_LINGER_MS: count('a live batch closes once no event arrived for this many ms', 2),
    PROJECTOR_REBUILD_BATCH_SIZE: count('most events in one batch of a building version', 20_000),
    PROJECTOR_REBUILD_TRANSACTION_MS: count('target time of one transaction of a building version, in ms', 300),
    PROJECTOR_REBUILD_BATCH_MS: count('longest a building batch collects events, in ms', 500),
    PROJECTOR_WORKING_SET_ROWS: count('rows a build may keep in memory (0: load per batch)', 3_000_000, 0),
    PROJECTOR_BULK_LOAD: envFlag('a fresh build loads in bulk (COPY) rather than batch by batch', true),
    PROJECTOR_OWN_THREADS: envFlag('a CPU-heavy projection (recommendations) runs in a worker thread of its own', true),
    LIVE_RETENTION_DAYS: count('days the live-update log keeps its entries', 7),
    PROJECTOR_LEASE_RETRY_MS: count('how often a standby tries to take a lease, in ms', 1000),
    RECOMMENDATIONS_REFIT_MS: count(
      'shortest time between two refits of the recommendation model, in ms (0: whenever 1% of interactions changed)',
      600_000,
      0,
    ),
    RECOMMENDATIONS_UPKEEP_MS: count('work per re-scoring step between batches, in ms', 50),
  }),
);

/** `npm run replay`: the same, but only warnings are logged unless LOG_LEVEL says otherwise (the progress bars own the terminal). */
export const ReplayEnv = mergeEnv(ProjectorEnv, logEnv('warn'));

export function projectorSettings(env: NodeJS.ProcessEnv = process.env, { replay = false } = {}): ProjectorSettings {
  const config = replay ? readEnv('npm run replay', ReplayEnv, env) : readEnv('projector', ProjectorEnv, env);
  const store = eventStoreSettingsFrom(config);
  return {
    databaseUrl: store.databaseUrl,
    natsUrl: config.NATS_URL,
    port: config.PROJECTOR_PORT,
    coreSchema: config.PROJECTOR_SCHEMA,
    readSchema: config.READ_SCHEMA,
    schemaPrefix: config.PROJECTOR_SCHEMA_PREFIX,
    subjectPrefix: config.LIVE_SUBJECT_PREFIX,
    batchSize: config.PROJECTOR_BATCH_SIZE,
    batchMs: config.PROJECTOR_BATCH_MS,
    batchLingerMs: config.PROJECTOR_BATCH_LINGER_MS,
    rebuildBatchSize: config.PROJECTOR_REBUILD_BATCH_SIZE,
    rebuildTransactionMs: config.PROJECTOR_REBUILD_TRANSACTION_MS,
    rebuildBatchMs: config.PROJECTOR_REBUILD_BATCH_MS,
    workingSetRows: config.PROJECTOR_WORKING_SET_ROWS,
    bulkLoad: isOn(config.PROJECTOR_BULK_LOAD),
    ownThreads: isOn(config.PROJECTOR_OWN_THREADS),
    retentionDays: config.LIVE_RETENTION_DAYS,
    leaseRetryMs: config.PROJECTOR_LEASE_RETRY_MS,
    recommendations: {
      refitMs: config.RECOMMENDATIONS_REFIT_MS,
      // A refit once 1% of all interactions changed (new people, new ratings) and refitMs passed.
      refitShare: 0.01,
      upkeepBudgetMs: config.RECOMMENDATIONS_UPKEEP_MS,
    },
    store,
    logLevel: config.LOG_LEVEL,
  };
}
