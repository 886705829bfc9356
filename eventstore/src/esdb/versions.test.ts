import { ANY, NO_STREAM, START, STREAM_EXISTS } from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { START_POSITION, encodePosition } from '../positions.ts';
import {
  actualVersionOf,
  eventTypeRegex,
  positionToken,
  readPositionOf,
  revisionOfVersion,
  toStreamState,
  versionOfRevision,
} from './versions.ts';

describe('expected versions', () => {
  it('map the named states to the client constants', () => {
    expect(toStreamState('any')).toBe(ANY);
    expect(toStreamState('no_stream')).toBe(NO_STREAM);
    expect(toStreamState('stream_exists')).toBe(STREAM_EXISTS);
  });

  it('map version N to revision N - 1, and version 0 to no_stream', () => {
    expect(toStreamState(0)).toBe(NO_STREAM);
    expect(toStreamState(1)).toBe(0n);
    expect(toStreamState(42)).toBe(41n);
  });

  it('reject versions that cannot exist', () => {
    expect(() => toStreamState(-1)).toThrow(RangeError);
    expect(() => toStreamState(1.5)).toThrow(RangeError);
    expect(() => toStreamState(Number.NaN)).toThrow(RangeError);
  });
});

describe('revisions and versions', () => {
  it('are off by one', () => {
    expect(versionOfRevision(0n)).toBe(1);
    expect(versionOfRevision(9n)).toBe(10);
    expect(revisionOfVersion(1)).toBe(0n);
    expect(revisionOfVersion(10)).toBe(9n);
  });

  it('read from the start for versions below 1', () => {
    expect(revisionOfVersion(0)).toBe(0n);
    expect(revisionOfVersion(-5)).toBe(0n);
  });

  it('report a missing or deleted stream as version 0', () => {
    expect(actualVersionOf(NO_STREAM)).toBe(0);
    expect(actualVersionOf(undefined)).toBe(0);
    expect(actualVersionOf(-5n)).toBe(0);
    expect(actualVersionOf(0n)).toBe(1);
    expect(actualVersionOf(6n)).toBe(7);
  });
});

describe('positions', () => {
  it('encode (commit, prepare) as a comparable token', () => {
    expect(positionToken({ commit: 1234n, prepare: 1200n })).toBe(encodePosition(1234n, 1200n));
  });

  it('start reading at START for the start token or none', () => {
    expect(readPositionOf(undefined)).toBe(START);
    expect(readPositionOf(START_POSITION)).toBe(START);
    expect(readPositionOf(encodePosition(18446744073709551615n, 7n))).toEqual({ commit: 18446744073709551615n, prepare: 7n });
  });
});

describe('event-type filter', () => {
  it('drops only system events without a type list', () => {
    const regex = new RegExp(eventTypeRegex(undefined));
    expect(regex.test('ListCreated')).toBe(true);
    expect(regex.test('$metadata')).toBe(false);
    expect(eventTypeRegex([])).toBe(eventTypeRegex(undefined));
  });

  it('matches exactly the listed types', () => {
    const regex = new RegExp(eventTypeRegex(['ListCreated', 'TitleRated']));
    expect(regex.test('ListCreated')).toBe(true);
    expect(regex.test('TitleRated')).toBe(true);
    expect(regex.test('ListCreatedV2')).toBe(false);
    expect(regex.test('XListCreated')).toBe(false);
    expect(regex.test('$ListCreated')).toBe(false);
  });

  it('escapes regex characters in type names', () => {
    const regex = new RegExp(eventTypeRegex(['a.b']));
    expect(regex.test('a.b')).toBe(true);
    expect(regex.test('axb')).toBe(false);
  });
});
