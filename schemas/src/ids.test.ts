import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { IsoDate, IsoDateTime, LanguageCode, MediaType, PersonId, RegionCode, TitleId, UserId } from './ids.ts';

describe('TitleId', () => {
  const check = Compile(TitleId);
  it.each(['movie:603', 'tv:1396', 'movie:1'])('accepts %s', (id) => expect(check.Check(id)).toBe(true));
  it.each(['movie:0', 'movie:0603', 'tv:', 'tv:-1', 'Movie:603', 'book:1', 'movie:603 ', 'movie:6.5', 'movie-603'])('rejects %j', (id) =>
    expect(check.Check(id)).toBe(false),
  );
});

describe('UserId', () => {
  const check = Compile(UserId);
  it('accepts a lower-case UUID', () => expect(check.Check('6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b')).toBe(true));
  it.each(['6F1C2A9E-3B4D-4E5F-8A7B-9C0D1E2F3A4B', '6f1c2a9e3b4d4e5f8a7b9c0d1e2f3a4b', 'x', ''])('rejects %j', (id) =>
    expect(check.Check(id)).toBe(false),
  );
});

describe('small ids and codes', () => {
  it('PersonId is a positive integer', () => {
    const check = Compile(PersonId);
    expect([1, 6384].map((v) => check.Check(v))).toEqual([true, true]);
    expect([0, -1, 1.5, '1'].map((v) => check.Check(v))).toEqual([false, false, false, false]);
  });

  it('LanguageCode is ISO 639-1 lower case', () => {
    const check = Compile(LanguageCode);
    expect(['en', 'ja', 'xx'].map((v) => check.Check(v))).toEqual([true, true, true]);
    expect(['EN', 'eng', 'e', 'en-US'].map((v) => check.Check(v))).toEqual([false, false, false, false]);
  });

  it('RegionCode is ISO 3166-1 alpha-2 upper case', () => {
    const check = Compile(RegionCode);
    expect(check.Check('DE')).toBe(true);
    expect(check.Check('de')).toBe(false);
  });

  it('MediaType is movie or tv', () => {
    const check = Compile(MediaType);
    expect(['movie', 'tv', 'book'].map((v) => check.Check(v))).toEqual([true, true, false]);
  });
});

describe('dates (format checks are on in compiled validators)', () => {
  it('IsoDate takes real calendar days only', () => {
    const check = Compile(IsoDate);
    expect(['2024-02-29', '1999-12-31'].map((v) => check.Check(v))).toEqual([true, true]);
    expect(['2023-02-29', '2024-13-01', '2024-1-1', '2024-01-01T00:00:00Z'].map((v) => check.Check(v))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('IsoDateTime takes RFC 3339 timestamps', () => {
    const check = Compile(IsoDateTime);
    expect(['2024-05-17T20:15:00.000Z', '2024-05-17T20:15:00+02:00'].map((v) => check.Check(v))).toEqual([true, true]);
    expect(['2024-05-17', '2024-05-17 20:15', 'yesterday'].map((v) => check.Check(v))).toEqual([false, false, false]);
  });
});
