import { eventStoreSettings, type EventStoreSettings } from '@reeltime/eventstore';
import { ident } from './model/sql.ts';

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
  /** How often a standby tries to take the lease. */
  leaseRetryMs: number;
  /** The recommendations projection: shortest time between model refits, and work per upkeep step. */
  recommendations: { refitMs: number; refitShare: number; upkeepBudgetMs: number };
  store: EventStoreSettings;
};

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}`);
  return value;
}

export function projectorSettings(env: NodeJS.ProcessEnv = process.env): ProjectorSettings {
  const store = eventStoreSettings(env);
  return {
    databaseUrl: store.databaseUrl,
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    port: integer(env, 'PROJECTOR_PORT', 4003, 0),
    coreSchema: ident(env.PROJECTOR_SCHEMA ?? 'projector'),
    readSchema: ident(env.READ_SCHEMA ?? 'read'),
    schemaPrefix: env.PROJECTOR_SCHEMA_PREFIX ?? 'rm_',
    subjectPrefix: env.LIVE_SUBJECT_PREFIX ?? 'reeltime',
    // Short batches keep the projector's transactions short: the store's readers wait for
    // every older transaction, so a long one here would delay every subscriber.
    batchSize: integer(env, 'PROJECTOR_BATCH_SIZE', 1000),
    batchMs: integer(env, 'PROJECTOR_BATCH_MS', 50),
    batchLingerMs: integer(env, 'PROJECTOR_BATCH_LINGER_MS', 2),
    rebuildBatchSize: integer(env, 'PROJECTOR_REBUILD_BATCH_SIZE', 20_000),
    rebuildTransactionMs: integer(env, 'PROJECTOR_REBUILD_TRANSACTION_MS', 300),
    rebuildBatchMs: integer(env, 'PROJECTOR_REBUILD_BATCH_MS', 500),
    workingSetRows: integer(env, 'PROJECTOR_WORKING_SET_ROWS', 3_000_000, 0),
    bulkLoad: env.PROJECTOR_BULK_LOAD !== '0',
    retentionDays: integer(env, 'LIVE_RETENTION_DAYS', 7),
    leaseRetryMs: integer(env, 'PROJECTOR_LEASE_RETRY_MS', 1000),
    recommendations: {
      refitMs: integer(env, 'RECOMMENDATIONS_REFIT_MS', 600_000, 0),
      // A refit once 1% of all interactions changed (new people, new ratings) and refitMs passed.
      refitShare: 0.01,
      upkeepBudgetMs: integer(env, 'RECOMMENDATIONS_UPKEEP_MS', 50),
    },
    store: { ...store, poolSize: Number(env.EVENTSTORE_POOL_SIZE ?? 4) },
  };
}
