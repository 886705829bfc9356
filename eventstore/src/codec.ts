import { randomUUID } from 'node:crypto';
import { eventRegistry, type ReelEvent } from '@reeltime/schemas';
import { EventValidationError, type EventValidationIssue } from './errors.ts';
import type { NewEvent, Position, RecordedEvent } from './port.ts';

/** The envelope fields every adapter stores beside `data` (in one metadata document). */
export type StoredMetadata = {
  schemaVersion: number;
  occurredAt: string;
  correlationId: string;
  causationId: string;
  userId: string | null;
};

/** An event checked against its schema and given its envelope, ready for an adapter to write. */
export type PreparedEvent = {
  eventId: string;
  type: string;
  data: unknown;
  metadata: StoredMetadata;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates every event before anything is written and fills in the envelope.
 * Throws EventValidationError listing every bad event; the append then writes nothing.
 */
export function prepareEvents(events: readonly NewEvent[]): PreparedEvent[] {
  const issues: EventValidationIssue[] = [];
  const now = new Date().toISOString();
  const prepared = events.map((event, index): PreparedEvent => {
    const schemaVersion = eventRegistry.currentVersion(event.type);
    if (schemaVersion === undefined) {
      issues.push({ index, type: String(event.type), path: '/type', message: 'unknown event type' });
    } else {
      for (const issue of eventRegistry.check(event.type, event.data)) {
        issues.push({ index, type: event.type, path: issue.path, message: issue.message });
      }
    }
    const eventId = event.eventId ?? randomUUID();
    if (!UUID.test(eventId)) issues.push({ index, type: event.type, path: '/eventId', message: 'must be a UUID' });
    const meta = event.metadata ?? {};
    const correlationId = meta.correlationId ?? eventId;
    return {
      eventId: eventId.toLowerCase(),
      type: event.type,
      data: event.data,
      metadata: {
        schemaVersion: schemaVersion ?? 0,
        occurredAt: meta.occurredAt ?? now,
        correlationId,
        causationId: meta.causationId ?? correlationId,
        userId: meta.userId ?? null,
      },
    };
  });
  if (issues.length > 0) throw new EventValidationError(issues);
  return prepared;
}

/** What an adapter read back, before upcasting. */
export type RawRecordedEvent = {
  streamId: string;
  version: number;
  position: Position;
  eventId: string;
  type: string;
  data: unknown;
  metadata: StoredMetadata;
};

/** Turns a stored event into the current shape of its type (upcasting old schema versions). */
export function toRecordedEvent(raw: RawRecordedEvent): RecordedEvent {
  const { metadata } = raw;
  const current = eventRegistry.currentVersion(raw.type);
  const data =
    current !== undefined && metadata.schemaVersion < current ? eventRegistry.upcast(raw.type, metadata.schemaVersion, raw.data) : raw.data;
  return {
    streamId: raw.streamId,
    version: raw.version,
    position: raw.position,
    eventId: raw.eventId,
    type: raw.type,
    schemaVersion: current ?? metadata.schemaVersion,
    data,
    occurredAt: metadata.occurredAt,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    userId: metadata.userId,
  } as RecordedEvent<ReelEvent>;
}
