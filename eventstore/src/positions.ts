import type { Position } from './port.ts';

/*
 * Both adapters name a place in the global order by a pair of unsigned 64-bit integers
 * (PostgreSQL: transaction id, global sequence; EventStoreDB: commit, prepare position).
 * Encoding each as 20 zero-padded decimal digits makes tokens compare correctly as plain
 * strings, so read models can store them as text and compare them in SQL.
 */
const WIDTH = 20;
const PATTERN = /^(\d{20})-(\d{20})$/;

export const START_POSITION: Position = `${'0'.repeat(WIDTH)}-${'0'.repeat(WIDTH)}`;

export function encodePosition(major: bigint | string | number, minor: bigint | string | number): Position {
  return `${String(major).padStart(WIDTH, '0')}-${String(minor).padStart(WIDTH, '0')}`;
}

export function isPosition(value: unknown): value is Position {
  return typeof value === 'string' && PATTERN.test(value);
}

export function decodePosition(position: Position): [bigint, bigint] {
  const match = PATTERN.exec(position);
  if (!match) throw new TypeError(`not a position token: ${JSON.stringify(position)}`);
  return [BigInt(match[1]!), BigInt(match[2]!)];
}

export function comparePositions(a: Position, b: Position): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
