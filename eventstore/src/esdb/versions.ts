import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  type AppendStreamState,
  type CurrentStreamState,
  type Position as EsdbPosition,
} from '@kurrent/kurrentdb-client';
import type { ExpectedVersion, Position } from '../port.ts';
import { START_POSITION, decodePosition, encodePosition } from '../positions.ts';

/*
 * The port counts versions from 1 (0 = no stream); EventStoreDB counts revisions from 0 and
 * says "no_stream" instead of -1. Every translation between the two lives here.
 */

export function toStreamState(expected: ExpectedVersion): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`expectedVersion must be a version >= 0, 'no_stream', 'stream_exists' or 'any'; got ${expected}`);
  }
  // Version 0 is "no events yet", which the server can only express as no_stream.
  return expected === 0 ? NO_STREAM : BigInt(expected - 1);
}

export function versionOfRevision(revision: bigint): number {
  return Number(revision) + 1;
}

/** First revision to read for a 1-based `fromVersion` (anything below 1 means the start). */
export function revisionOfVersion(version: number): bigint {
  return BigInt(Math.max(1, Math.floor(version)) - 1);
}

/**
 * The version a wrong-expected-version error reports. Negative revisions are the server's
 * markers for deleted/tombstoned streams: to a writer those hold no events either.
 */
export function actualVersionOf(state: CurrentStreamState | undefined): number {
  if (typeof state !== 'bigint' || state < 0n) return 0;
  return versionOfRevision(state);
}

export function positionToken(position: EsdbPosition): Position {
  return encodePosition(position.commit, position.prepare);
}

/**
 * Where the client should start for a token. The start token maps to START rather than
 * (0, 0): the server treats a position as "after" and the log's first record sits at 0.
 */
export function readPositionOf(token: Position | undefined): EsdbPosition | typeof START {
  if (token === undefined || token === START_POSITION) return START;
  const [commit, prepare] = decodePosition(token);
  return { commit, prepare };
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|]/g;

/**
 * Server-side event-type filter. Without a type list it only drops system events (types
 * starting with `$`); with one it matches those exact names, which are never system types.
 */
export function eventTypeRegex(eventTypes: readonly string[] | undefined): string {
  if (!eventTypes || eventTypes.length === 0) return '^[^$]';
  return `^(?:${eventTypes.map((t) => t.replace(REGEX_SPECIAL, '\\$&')).join('|')})$`;
}
