import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { prepareEvents } from '../codec.ts';
import { DuplicateEventIdError } from '../errors.ts';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  Position,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../port.ts';
import { START_POSITION, comparePositions } from '../positions.ts';
import { appendEvents, appendToStreams, type Queryable } from './append.ts';
import { inTransaction } from '../transactions.ts';
import { guarded } from './errors.ts';
import { assertSchemaName, migrate } from './migrate.ts';
import {
  countEvents,
  readHeadPosition,
  readLastAppendedPosition,
  readPage,
  readStreamEvents,
  readStreamsEvents,
  readStreamVersion,
} from './read.ts';
import { PollingSubscription } from './subscription.ts';
import { CHANNEL, Wakeups } from './wakeups.ts';

export type PostgresEventStoreOptions = {
  connectionString: string;
  /** Schema holding the store's tables (default `eventstore`). */
  schema?: string;
  poolSize?: number;
  /** Longest time a live subscription waits for a wake-up before reading anyway. */
  idlePollMs?: number;
  onError?: (error: Error) => void;
  /** `countEvents` counts up to this many events exactly and estimates longer ranges (default 10,000). */
  exactCountLimit?: number;
};

export const MIGRATIONS_DIRECTORY = fileURLToPath(new URL('./migrations', import.meta.url));

const MAX_PAGE = 10_000;
const EXACT_COUNT_LIMIT = 10_000;

export type PostgresEventStore = EventStore & {
  readonly pool: pg.Pool;
  /** Appends inside a transaction the caller controls (`client` has run BEGIN). */
  appendWithin(client: pg.PoolClient, stream: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** Whole streams, read in one query (deciding over many small streams at once). */
  readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>>;
  /**
   * Appends to many streams in one transaction of one statement, each with its expected
   * version: all are written, or (ConcurrencyError, DuplicateEventIdError) none. Every
   * append has at least one event; the results are in the appends' order.
   */
  appendToStreams(appends: readonly StreamAppendInput[]): Promise<AppendResult[]>;
  /**
   * The newest event's position, even while readers cannot see it yet: `headPosition` stops
   * below the oldest transaction still open anywhere on the server. For tests and benchmarks
   * that wait until everything they appended has been projected.
   */
  lastAppendedPosition(): Promise<Position>;
};

export type StreamAppendInput = { stream: string; events: readonly NewEvent[]; expectedVersion: ExpectedVersion };

/** Connects, applies pending migrations (safe with several processes starting at once) and returns the store. */
export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  const schema = assertSchemaName(options.schema ?? 'eventstore');
  const onError = options.onError ?? (() => {});
  const config: pg.ClientConfig = {
    connectionString: options.connectionString,
    // Appends are one short statement; a session left idle in a transaction must not hold back every reader.
    options: `-c search_path=${schema} -c idle_in_transaction_session_timeout=10000`,
  };
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? 16 });
  pool.on('error', onError);
  // A checked-out client losing its connection between queries has no pool listener: its next
  // query fails (and becomes EventStoreUnavailableError) instead of the process crashing.
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    await guarded('migrating', () => migrate(pool, { schema, directory: MIGRATIONS_DIRECTORY }));
  } catch (error) {
    await pool.end();
    throw error;
  }
  const wakeups = new Wakeups(() => new pg.Client(config), schema, onError);

  const notify = (db: Queryable) => db.query({ name: 'reeltime_notify', text: 'SELECT pg_notify($1, $2)', values: [CHANNEL, schema] });

  const append = async (db: Queryable, stream: string, events: readonly NewEvent[], appendOptions?: AppendOptions) => {
    const expected = appendOptions?.expectedVersion ?? 'any';
    const prepared = prepareEvents(events);
    if (prepared.length === 0) {
      const version = await readStreamVersion(db, stream);
      return { nextVersion: version, position: await readHeadPosition(db) };
    }
    return appendEvents(db, stream, prepared, expected);
  };

  return {
    pool,
    appendToStream: async (stream, events, appendOptions) => {
      const result = await guarded(`appending to ${stream}`, () => append(pool, stream, events, appendOptions));
      wakeups.nudge();
      wakeups.announce(() => notify(pool));
      return result;
    },
    // The caller commits: the notification goes out with that commit.
    appendWithin: async (client, stream, events, appendOptions) => {
      return guarded(`appending to ${stream}`, async () => {
        const result = await append(client, stream, events, appendOptions);
        await notify(client);
        return result;
      });
    },
    readStreams: (streams) => guarded(`reading ${streams.length} streams`, () => readStreamsEvents(pool, streams)),
    appendToStreams: async (appends) => {
      if (appends.some((a) => a.events.length === 0)) throw new RangeError('appendToStreams: every append needs at least one event');
      const prepared = appends.map((a) => ({ stream: a.stream, events: prepareEvents(a.events), expected: a.expectedVersion }));
      if (prepared.length === 0) return [];
      const results = await guarded(`appending to ${prepared.length} streams`, async () => {
        try {
          return await inTransaction(pool, (client) => appendToStreams(client, prepared));
        } catch (error) {
          const detail =
            (error as { constraint?: string; detail?: string }).constraint === 'events_event_id'
              ? (error as { detail?: string }).detail
              : undefined;
          if (detail !== undefined)
            throw new DuplicateEventIdError(`one of ${prepared.length} streams`, detail.match(/[0-9a-f-]{36}/g) ?? []);
          throw error;
        }
      });
      wakeups.nudge();
      wakeups.announce(() => notify(pool));
      return results;
    },
    readStream: (stream, readOptions = {}) =>
      guarded(`reading ${stream}`, () => readStreamEvents(pool, stream, readOptions.fromVersion ?? 1, readOptions.limit ?? 2_147_483_647)),
    streamVersion: (stream) => guarded(`reading the version of ${stream}`, () => readStreamVersion(pool, stream)),
    readAll: (readOptions: ReadAllOptions = {}) =>
      guarded('reading all events', async () => {
        const { events, position, isEnd } = await readPage(
          pool,
          readOptions.from ?? START_POSITION,
          Math.min(readOptions.limit ?? 1000, MAX_PAGE),
          readOptions.eventTypes,
        );
        return { events, position, isEnd };
      }),
    subscribe: (subscribeOptions: SubscribeOptions = {}) =>
      new PollingSubscription(
        (from) => readPage(pool, from, Math.min(subscribeOptions.batchSize ?? 2000, MAX_PAGE), subscribeOptions.eventTypes),
        wakeups,
        {
          from: subscribeOptions.from ?? START_POSITION,
          idlePollMs: options.idlePollMs ?? 1000,
          signal: subscribeOptions.signal,
          onError,
        },
      ),
    headPosition: () => guarded('reading the head position', () => readHeadPosition(pool)),
    lastAppendedPosition: () => guarded('reading the last appended position', () => readLastAppendedPosition(pool)),
    countEvents: (from, to) => guarded('counting events', () => countEvents(pool, from, to, options.exactCountLimit ?? EXACT_COUNT_LIMIT)),
    comparePositions,
    startPosition: START_POSITION,
    ping: () => guarded('pinging', async () => void (await pool.query('SELECT 1'))),
    close: async () => {
      await wakeups.close();
      await pool.end();
    },
  };
}
