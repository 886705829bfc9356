import type { EventEnvelope, ReelEvent } from '@reeltime/schemas';

/**
 * A position in the global order. Opaque to everyone but the adapter that made it:
 * compare with `store.comparePositions`, never by parsing.
 */
export type Position = string;

/** `no_stream` = the stream must not exist; `stream_exists` = it must; `any` = no check. */
export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

/** What a caller hands to `appendToStream`: an event of the product plus who caused it. */
export type NewEvent<E extends ReelEvent = ReelEvent> = E & {
  /** Defaults to a fresh UUID. Pass a stable one to make retries idempotent. */
  eventId?: string;
  metadata?: EventMetadataInput;
};

export type EventMetadataInput = {
  correlationId?: string;
  causationId?: string;
  userId?: string | null;
  /** ISO timestamp; defaults to the append time. */
  occurredAt?: string;
};

/**
 * An event as stored. Versions are 1-based: the first event of a stream has version 1 and a
 * stream's version is the version of its last event (0 when it does not exist).
 * `data` has been upcast to the current schema version of its type.
 */
export type RecordedEvent<E extends ReelEvent = ReelEvent> = E &
  EventEnvelope & {
    streamId: string;
    version: number;
    position: Position;
  };

export type AppendOptions = { expectedVersion?: ExpectedVersion };
export type AppendResult = { nextVersion: number; position: Position };

export type ReadStreamOptions = {
  /** First version to return (inclusive); default 1. */
  fromVersion?: number;
  limit?: number;
};

export type ReadAllOptions = {
  /** Exclusive: events strictly after this position. Omitted = from the very start. */
  from?: Position;
  limit?: number;
  eventTypes?: readonly string[];
};

export type ReadAllResult = {
  events: RecordedEvent[];
  /**
   * Where to continue from (exclusive). With an event-type filter this may lie past the last
   * returned event, so a consumer never rescans events it had no interest in.
   */
  position: Position;
  /** True when nothing more is visible right now. */
  isEnd: boolean;
};

/** How many events lie between two positions, as far as the adapter counted them. */
export type EventCount = {
  count: number;
  /**
   * False when the range was longer than the adapter reads through: `count` is then its
   * estimate (from how far the positions lie apart), not a count.
   */
  exact: boolean;
};

export type SubscribeOptions = {
  from?: Position;
  eventTypes?: readonly string[];
  /** Events fetched per round trip while catching up. */
  batchSize?: number;
  signal?: AbortSignal;
};

/**
 * Catches up from `from`, then follows live. Pulling drives reading: events are fetched only
 * as fast as the consumer takes them (one batch read ahead at most).
 * `checkpoint` is the position a consumer may save after handling everything yielded so far;
 * with a filter it advances past skipped events.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  readonly checkpoint: Position;
  close(): Promise<void>;
}

export interface EventStore {
  appendToStream(stream: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Current version of a stream, 0 when it does not exist. */
  streamVersion(stream: string): Promise<number>;
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  subscribe(options?: SubscribeOptions): Subscription;
  /** Position of the last event visible now (`startPosition` when the store is empty). */
  headPosition(): Promise<Position>;
  /**
   * Events after `from` up to and including `to` (0 when `to` is not after `from`), system
   * events excluded: exact over a short range, an estimate marked `exact: false` over a long
   * one. Use this, never arithmetic on tokens: what a token's numbers mean differs per adapter.
   */
  countEvents(from: Position, to: Position): Promise<EventCount>;
  /** Negative when a is before b, 0 when equal, positive when after. */
  comparePositions(a: Position, b: Position): number;
  /** The position before every event. */
  readonly startPosition: Position;
  /** Resolves when the store is reachable (for readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
