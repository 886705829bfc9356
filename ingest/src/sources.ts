import type { EventStore } from '@reeltime/eventstore';
import { assertSchemaName } from '@reeltime/eventstore/postgres';
import { migrateCommandTables } from '@reeltime/command-api/src/migrations.ts';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { seedCommunity, type SeedOutcome } from './community/seed.ts';
import { serveTitleRequests } from './find/title-requests.ts';
import { startDemoServer } from './offline/demo-server.ts';
import type { IngestSettings } from './settings.ts';
import type { ProgressStore } from './sync/progress-store.ts';
import { syncCatalog, type SyncProgress, type SyncResult } from './sync/sync-run.ts';
import { createTmdbClient, type TmdbClient } from './tmdb/client.ts';

export type SyncDependencies = {
  store: EventStore;
  progress: ProgressStore;
  log: Logger;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /** The service's one TMDb client (its rate limit shared with the title requests); else one per run. */
  client?: TmdbClient;
};

export function tmdbClientFor(settings: IngestSettings, log: Logger): TmdbClient {
  if (!settings.credential) throw new Error('no TMDb credential: set TMDB_READ_ACCESS_TOKEN (or TMDB_API_KEY), or use --source demo');
  return createTmdbClient({
    baseUrl: settings.baseUrl,
    credential: settings.credential,
    requestsPerSecond: settings.requestsPerSecond,
    concurrency: settings.concurrency,
    timeoutMs: settings.timeoutMs,
    log,
  });
}

/** The last page TMDb serves on a list: "every page" for the demo catalog. */
const ALL_PAGES = 500;

async function syncSource(source: string, settings: IngestSettings, pages: number, deps: SyncDependencies): Promise<SyncResult> {
  const client = deps.client ?? tmdbClientFor(settings, deps.log);
  try {
    // Twice the HTTP concurrency: while some titles wait on TMDb, others are being appended.
    return await syncCatalog({ source, client, pages, concurrency: settings.concurrency * 2, ...deps });
  } finally {
    if (deps.client === undefined) client.close();
  }
}

/** One sync against TMDb (or whatever TMDB_BASE_URL points at). */
export function syncTmdb(settings: IngestSettings, deps: SyncDependencies, pages = settings.pages): Promise<SyncResult> {
  return syncSource('tmdb', settings, pages, deps);
}

/**
 * The demo catalog through the very same client and sync as TMDb: `ingest/demo/` is served as
 * TMDb v3 on a local port and the client's base URL points there. No rate limit: the server is ours.
 */
export async function syncDemo(settings: IngestSettings, deps: SyncDependencies, directory?: string): Promise<SyncResult> {
  const server = await startDemoServer(directory);
  deps.log.info({ movies: server.count('movie'), tv: server.count('tv'), url: server.url }, 'serving the demo catalog');
  try {
    const local: IngestSettings = { ...settings, baseUrl: server.url, credential: { kind: 'bearer', token: 'demo' }, requestsPerSecond: 0 };
    return await syncSource('demo', local, ALL_PAGES, deps);
  } finally {
    await server.close();
  }
}

/** The demo community (ingest/src/community/), after the demo catalog: once per database. */
export function seedDemoCommunity(
  settings: IngestSettings,
  deps: Pick<SyncDependencies, 'store' | 'progress' | 'log' | 'signal'>,
): Promise<SeedOutcome> {
  return seedCommunity({
    store: deps.store,
    progress: deps.progress,
    progressSchema: settings.schema,
    commandSchema: settings.commandSchema,
    log: deps.log,
    signal: deps.signal,
  });
}

/**
 * Fetches the titles imports ask for (src/find/title-requests.ts) until the signal aborts;
 * with a TMDb credential only, so without one command-api sees nobody answering.
 */
export async function serveImportTitleRequests(
  settings: IngestSettings,
  deps: Pick<SyncDependencies, 'store' | 'progress' | 'log' | 'signal'> & { client: TmdbClient },
): Promise<void> {
  const pool = new pg.Pool({ connectionString: settings.store.databaseUrl, max: 2 });
  pool.on('error', (error) => deps.log.warn({ err: error }, 'title requests pool'));
  const schema = assertSchemaName(settings.commandSchema);
  try {
    // command-api may not have started yet: the migration is idempotent and locked.
    for (;;) {
      try {
        await migrateCommandTables(pool, schema);
        break;
      } catch (error) {
        if (deps.signal?.aborted) return;
        deps.log.warn({ err: error }, 'creating the title request tables failed; retrying');
        await sleep(5000, undefined, { signal: deps.signal }).catch(() => {});
      }
    }
    await serveTitleRequests({ ...deps, pool, schema });
  } finally {
    await pool.end();
  }
}
