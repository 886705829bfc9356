import { createPostgresEventStore, type PostgresEventStore } from '@reeltime/eventstore/postgres';
import type { RecordedEvent } from '@reeltime/eventstore';
import pino from 'pino';
import { dropSchema, postgresUrlForTests, uniqueSchemaName } from '@reeltime/eventstore/testing';
import { createTmdbClient, type TmdbClient, type TmdbClientOptions } from '../tmdb/client.ts';
import { openProgressStore, type ProgressStore } from './progress-store.ts';

export const silentLog = pino({ level: 'silent' });

/** A real event store and progress store, each in a schema of its own, dropped by `dispose`. */
export type Environment = {
  url: string;
  store: PostgresEventStore;
  progress: ProgressStore;
  progressSchema: string;
  eventSchema: string;
  events(): Promise<RecordedEvent[]>;
  dispose(): Promise<void>;
};

/**
 * Every event, in the global order. Read stream by stream rather than with readAll: readAll
 * stops at the oldest transaction still running anywhere on the server, and other suites share
 * this server, so it may not show events this test has just appended.
 */
async function allEvents(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const { rows } = await store.pool.query<{ stream_id: string }>('SELECT stream_id FROM streams');
  const events = (await Promise.all(rows.map((row) => store.readStream(row.stream_id)))).flat();
  return events.sort((a, b) => store.comparePositions(a.position, b.position));
}

export async function testEnvironment(): Promise<Environment> {
  const url = await postgresUrlForTests();
  const eventSchema = uniqueSchemaName('ingest_es');
  const progressSchema = uniqueSchemaName('ingest_sync');
  const store = await createPostgresEventStore({ connectionString: url, schema: eventSchema, poolSize: 8 });
  const progress = await openProgressStore({ connectionString: url, schema: progressSchema, poolSize: 8 });
  return {
    url,
    store,
    progress,
    progressSchema,
    eventSchema,
    events: () => allEvents(store),
    async dispose() {
      await store.close();
      await progress.close();
      await dropSchema(url, eventSchema);
      await dropSchema(url, progressSchema);
    },
  };
}

/** A client tuned for tests: short timeouts and backoff, no rate limit unless asked. */
export function testClient(baseUrl: string, options: Partial<TmdbClientOptions> = {}): TmdbClient {
  return createTmdbClient({
    baseUrl,
    credential: { kind: 'bearer', token: 'test-token' },
    requestsPerSecond: 0,
    concurrency: 16,
    timeoutMs: 300,
    retries: 3,
    backoff: { baseMs: 5, maxMs: 40 },
    ...options,
  });
}
