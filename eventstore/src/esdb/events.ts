import type { AllStreamResolvedEvent, EventData, ResolvedEvent } from '@kurrent/kurrentdb-client';
import type { PreparedEvent, RawRecordedEvent, StoredMetadata } from '../codec.ts';
import type { Position } from '../port.ts';
import { positionToken, versionOfRevision } from './versions.ts';

type AnyResolved = ResolvedEvent | AllStreamResolvedEvent;

/** What the client writes for one prepared event: JSON data, the envelope as JSON metadata. */
export function toEventData(event: PreparedEvent): EventData {
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    data: event.data as EventData['data'],
    metadata: event.metadata,
  } as EventData;
}

/** The $all position of a resolved event; every event read from a 22.6+ server carries one. */
export function positionOf(resolved: AnyResolved): Position | undefined {
  const position = resolved.event?.position;
  return position ? positionToken(position) : undefined;
}

export function isSystemEvent(resolved: AnyResolved): boolean {
  const event = resolved.event;
  return !event || event.type.startsWith('$') || event.streamId.startsWith('$');
}

function isStoredMetadata(value: unknown): value is StoredMetadata {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.schemaVersion === 'number' &&
    typeof m.occurredAt === 'string' &&
    typeof m.correlationId === 'string' &&
    typeof m.causationId === 'string'
  );
}

/**
 * The stored form of a resolved event, or undefined for anything this store did not write
 * (system events, binary events, events without our envelope): $all is shared with the
 * server's own bookkeeping and, possibly, other tools, and those are not product events.
 */
export function toRawEvent(resolved: AnyResolved): RawRecordedEvent | undefined {
  const event = resolved.event;
  if (!event || isSystemEvent(resolved) || !event.isJson || !isStoredMetadata(event.metadata)) return undefined;
  if (!event.position) {
    throw new Error(`event ${event.id} of ${event.streamId} came without a $all position (EventStoreDB older than 22.6?)`);
  }
  return {
    streamId: event.streamId,
    version: versionOfRevision(event.revision),
    position: positionToken(event.position),
    eventId: event.id.toLowerCase(),
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata, userId: event.metadata.userId ?? null },
  };
}
