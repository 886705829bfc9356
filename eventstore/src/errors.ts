import type { ExpectedVersion } from './port.ts';

/** The stream was not at the expected version. `actualVersion` is 0 when the stream does not exist. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly stream: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super(`stream ${stream} is at version ${actualVersion}, expected ${String(expectedVersion)}`);
  }
}

export type EventValidationIssue = { index: number; type: string; path: string; message: string };

/** An event did not match the schema of its type; nothing was written. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
  constructor(readonly issues: EventValidationIssue[]) {
    super(
      `invalid event(s): ${issues
        .slice(0, 5)
        .map((i) => `#${i.index} ${i.type}${i.path} ${i.message}`)
        .join('; ')}`,
    );
  }
}

/**
 * An eventId in the append is already stored, but not as this same append (another stream,
 * or only some of the batch): retrying can never succeed.
 */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(
    readonly stream: string,
    readonly eventIds: string[],
  ) {
    super(`event id(s) already stored elsewhere than this append to ${stream}: ${eventIds.join(', ')}`);
  }
}

/** The store could not be reached; safe to retry later. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
