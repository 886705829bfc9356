import { describe, expect, it } from 'vitest';
import { START_POSITION, comparePositions, decodePosition, encodePosition, isPosition } from './positions.ts';

describe('position tokens', () => {
  it('round-trip through their string form', () => {
    const token = encodePosition(18446744073709551615n, 42n);
    expect(isPosition(token)).toBe(true);
    expect(decodePosition(token)).toEqual([18446744073709551615n, 42n]);
  });

  it('compare as strings in the same order as their numbers', () => {
    const ordered = [START_POSITION, encodePosition(1, 999), encodePosition(2, 3), encodePosition(2, 10), encodePosition(10, 1)];
    const shuffled = [...ordered].reverse().sort(comparePositions);
    expect(shuffled).toEqual(ordered);
    expect([...ordered].reverse().sort()).toEqual(ordered);
  });

  it('rejects anything that is not a token', () => {
    expect(isPosition('12-3')).toBe(false);
    expect(() => decodePosition('nope')).toThrow(TypeError);
  });
});
