export type * from './port.ts';
export * from './errors.ts';
export { START_POSITION, comparePositions, encodePosition, isPosition } from './positions.ts';
export { prepareEvents, toRecordedEvent, type PreparedEvent, type RawRecordedEvent, type StoredMetadata } from './codec.ts';
export { openEventStore, type EventStoreSettings } from './open.ts';
