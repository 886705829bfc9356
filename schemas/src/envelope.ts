import { Type, type Static } from 'typebox';
import { IsoDateTime, UserId, Uuid } from './ids.ts';
import { StrictObject } from './strict.ts';

/** Correlation/causation ids are usually UUIDs but may be any caller trace id (e.g. a request id). */
const TraceId = Type.String({ minLength: 1, maxLength: 200 });

/** Metadata stored with every event, beside its `data`. */
export const EventEnvelope = StrictObject({
  eventId: Uuid,
  type: Type.String({ minLength: 1, maxLength: 100 }),
  schemaVersion: Type.Integer({ minimum: 1 }),
  occurredAt: IsoDateTime,
  correlationId: TraceId,
  causationId: TraceId,
  /** The acting user; null for system events (catalog sync). */
  userId: Type.Union([UserId, Type.Null()]),
});
export type EventEnvelope = Static<typeof EventEnvelope>;
