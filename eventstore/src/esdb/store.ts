import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { prepareEvents } from '../codec.ts';
import type { EventStore, SubscribeOptions } from '../port.ts';
import { START_POSITION, comparePositions } from '../positions.ts';
import { appendPrepared, type AppendClient } from './append.ts';
import { toStoreError } from './client-errors.ts';
import { countEvents } from './count.ts';
import { pingServer, readAllPage, readHeadPosition, readStreamEvents, readStreamVersion, type ReadClient } from './read.ts';
import { EsdbSubscription, type SubscribeClient } from './subscription.ts';

export type EsdbEventStoreOptions = {
  /** e.g. `kurrentdb://localhost:2113?tls=false` (the older `esdb://` scheme works too). */
  url: string;
  /** Errors a live subscription recovered from by resubscribing. */
  onError?: (error: Error) => void;
  /** `countEvents` reads up to this many events and estimates longer ranges (default 1,000). */
  exactCountLimit?: number;
};

const DEFAULT_SUBSCRIPTION_BUFFER = 512;

/**
 * The client accepts `esdb://` but prints a deprecation warning for every connection; the
 * schemes mean the same, and EVENTSTORE_URL values written for EventStoreDB keep working.
 */
export function normalizeConnectionString(url: string): string {
  return url.trim().replace(/^esdb(\+discover)?:\/\//i, 'kurrentdb$1://');
}

/** Runs `work`, turning "server unreachable" into the port's retryable error. */
async function guarded<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toStoreError(error, doing);
  }
}

export function createEsdbEventStore({ url, onError, exactCountLimit }: EsdbEventStoreOptions): EventStore {
  return storeOverClient(KurrentDBClient.connectionString(normalizeConnectionString(url)), onError, exactCountLimit);
}

export type StoreClient = AppendClient & ReadClient & SubscribeClient & Pick<KurrentDBClient, 'dispose'>;

/** The store over any client of this shape (tests hand in a fake one). */
export function storeOverClient(client: StoreClient, onError: (error: Error) => void = () => {}, exactCountLimit?: number): EventStore {
  const subscriptions = new Set<EsdbSubscription>();

  return {
    appendToStream: (stream, events, options = {}) =>
      guarded(`appending to ${stream}`, async () => {
        // Validation first: a bad event must not cost a round trip, let alone a partial write.
        const prepared = prepareEvents(events);
        if (prepared.length === 0) {
          // Same answer as the PostgreSQL adapter: nothing written, nothing checked.
          const [nextVersion, position] = await Promise.all([readStreamVersion(client, stream), readHeadPosition(client)]);
          return { nextVersion, position };
        }
        return appendPrepared(client, stream, prepared, options.expectedVersion ?? 'any');
      }),
    readStream: (stream, options = {}) =>
      guarded(`reading ${stream}`, () => readStreamEvents(client, stream, options.fromVersion ?? 1, options.limit)),
    streamVersion: (stream) => guarded(`reading the version of ${stream}`, () => readStreamVersion(client, stream)),
    readAll: (options = {}) => guarded('reading $all', () => readAllPage(client, options)),
    subscribe: (options: SubscribeOptions = {}) => {
      const subscription = new EsdbSubscription(client, {
        from: options.from ?? START_POSITION,
        eventTypes: options.eventTypes,
        batchSize: options.batchSize ?? DEFAULT_SUBSCRIPTION_BUFFER,
        signal: options.signal,
        onError,
        onClose: () => subscriptions.delete(subscription),
      });
      subscriptions.add(subscription);
      return subscription;
    },
    headPosition: () => guarded('reading the head of $all', () => readHeadPosition(client)),
    countEvents: (from, to) => guarded('counting events in $all', () => countEvents(client, from, to, exactCountLimit)),
    comparePositions,
    startPosition: START_POSITION,
    ping: () => guarded('pinging', () => pingServer(client)),
    close: async () => {
      await Promise.all([...subscriptions].map((s) => s.close()));
      await client.dispose();
    },
  };
}
