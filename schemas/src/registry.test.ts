import { describe, expect, expectTypeOf, it } from 'vitest';
import { eventRegistry, type EventData, type EventType, type ReelEvent } from './index.ts';
import { LIST_ID, samples, USER_ID } from './events/samples.fixture.ts';

const EXPECTED_VERSIONS: Record<EventType, number> = {
  UserRegistered: 1,
  UserErased: 1,
  TitleImported: 1,
  TitleUpdated: 1,
  ListCreated: 1,
  ListRenamed: 1,
  ListDescriptionChanged: 1,
  ListVisibilityChanged: 1,
  ListItemAdded: 1,
  ListItemRemoved: 1,
  ListItemsReordered: 1,
  ListDeleted: 1,
  TitleRated: 2,
  TitleUnrated: 1,
  TitleWatched: 1,
  DiaryEntryRemoved: 1,
  GenreLiked: 1,
  GenreUnliked: 1,
  GenreDisliked: 1,
  GenreUndisliked: 1,
  PersonLiked: 1,
  PersonUnliked: 1,
  LanguagePreferred: 1,
  LanguageUnpreferred: 1,
  MediaTypePreferred: 1,
  MediaTypeUnpreferred: 1,
  ImportStarted: 1,
  ImportProgressed: 1,
  ImportCompleted: 1,
  ImportFailed: 1,
};

describe('eventRegistry: known types', () => {
  it('knows exactly the product event types', () => {
    expect([...eventRegistry.types()].sort()).toEqual(Object.keys(EXPECTED_VERSIONS).sort());
  });

  it.each(Object.entries(EXPECTED_VERSIONS))('gives %s its current version %i', (type, version) => {
    expect(eventRegistry.currentVersion(type)).toBe(version);
  });

  it('returns undefined as the version of an unknown type', () => {
    expect(eventRegistry.currentVersion('NoSuchEvent')).toBeUndefined();
    expect(eventRegistry.currentVersion('toString')).toBeUndefined();
  });

  it('hands out a copy of the type list', () => {
    eventRegistry.types().pop();
    expect(eventRegistry.types()).toHaveLength(Object.keys(EXPECTED_VERSIONS).length);
  });
});

describe('eventRegistry.check', () => {
  it.each(Object.entries(samples))('accepts a valid %s', (type, data) => {
    expect(eventRegistry.check(type, data)).toEqual([]);
  });

  it('rejects an unknown type with one issue', () => {
    const issues = eventRegistry.check('NoSuchEvent', {});
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/unknown event type/);
  });

  const cases: { name: string; type: EventType; data: unknown; path: string }[] = [
    { name: 'a score above 10', type: 'TitleRated', data: { ...samples.TitleRated, score: 11 }, path: '/score' },
    { name: 'a fractional score', type: 'TitleRated', data: { ...samples.TitleRated, score: 7.5 }, path: '/score' },
    { name: 'a too long review', type: 'TitleRated', data: { ...samples.TitleRated, review: 'x'.repeat(5001) }, path: '/review' },
    { name: 'an extra property', type: 'ListRenamed', data: { ...samples.ListRenamed, email: 'a@b.c' }, path: '/email' },
    { name: 'a missing property', type: 'ListItemAdded', data: { listId: LIST_ID }, path: '/titleId' },
    { name: 'a bad titleId', type: 'ListItemAdded', data: { ...samples.ListItemAdded, titleId: 'movie:0' }, path: '/titleId' },
    {
      name: 'a titleId of an unknown media type',
      type: 'ListItemRemoved',
      data: { ...samples.ListItemRemoved, titleId: 'book:12' },
      path: '/titleId',
    },
    { name: 'a bad uuid', type: 'UserErased', data: { userId: 'not-a-uuid' }, path: '/userId' },
    { name: 'an upper-case uuid', type: 'UserErased', data: { userId: USER_ID.toUpperCase() }, path: '/userId' },
    { name: 'an impossible date', type: 'TitleWatched', data: { ...samples.TitleWatched, watchedOn: '2023-02-29' }, path: '/watchedOn' },
    {
      name: 'a date with a time',
      type: 'TitleWatched',
      data: { ...samples.TitleWatched, watchedOn: '2024-01-01T10:00:00Z' },
      path: '/watchedOn',
    },
    { name: 'a bad list visibility', type: 'ListCreated', data: { ...samples.ListCreated, visibility: 'friends' }, path: '/visibility' },
    { name: 'an empty list name', type: 'ListRenamed', data: { ...samples.ListRenamed, name: '' }, path: '/name' },
    {
      name: 'a display name over 50 chars',
      type: 'UserRegistered',
      data: { ...samples.UserRegistered, displayName: 'x'.repeat(51) },
      path: '/displayName',
    },
    { name: 'an email on UserRegistered', type: 'UserRegistered', data: { ...samples.UserRegistered, email: 'a@b.c' }, path: '/email' },
    { name: 'a genre TMDb does not have', type: 'GenreLiked', data: { userId: USER_ID, genreId: 1 }, path: '/genreId' },
    { name: 'a three-letter language', type: 'LanguagePreferred', data: { userId: USER_ID, language: 'eng' }, path: '/language' },
    { name: 'a negative person id', type: 'PersonLiked', data: { userId: USER_ID, personId: -3 }, path: '/personId' },
    { name: 'a bad media type', type: 'MediaTypePreferred', data: { userId: USER_ID, mediaType: 'book' }, path: '/mediaType' },
    {
      name: 'a bad item in an array',
      type: 'ListItemsReordered',
      data: { listId: LIST_ID, titleIds: ['movie:1', 'x'] },
      path: '/titleIds/1',
    },
    {
      name: 'a duplicate in the order',
      type: 'ListItemsReordered',
      data: { listId: LIST_ID, titleIds: ['movie:1', 'movie:1'] },
      path: '/titleIds',
    },
  ];

  it.each(cases)('given $name, reports it at $path', ({ type, data, path }) => {
    const issues = eventRegistry.check(type, data);
    expect(issues.map((issue) => issue.path)).toEqual([path]);
    expect(issues[0]?.message).toEqual(expect.any(String));
  });

  it('reports every bad field, each once', () => {
    const issues = eventRegistry.check('TitleRated', { userId: 'x', titleId: 'movie:1', score: 0, extra: true });
    expect(issues.map((issue) => issue.path).sort()).toEqual(['/containsSpoilers', '/extra', '/score', '/userId']);
  });

  it('rejects a v1 TitleRated payload as the current version', () => {
    const issues = eventRegistry.check('TitleRated', { userId: USER_ID, titleId: 'movie:1', stars: 4 });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '/stars', message: 'is not allowed' },
        { path: '/score', message: 'is required' },
        { path: '/containsSpoilers', message: 'is required' },
      ]),
    );
  });

  it('rejects a payload that is not an object', () => {
    expect(eventRegistry.check('ListDeleted', null)).toEqual([{ path: '', message: expect.any(String) }]);
  });

  it('accepts 5000 items in a reorder and refuses 5001', () => {
    const titleIds = Array.from({ length: 5001 }, (_, i) => `movie:${i + 1}`);
    expect(eventRegistry.check('ListItemsReordered', { listId: LIST_ID, titleIds: titleIds.slice(0, 5000) })).toEqual([]);
    expect(eventRegistry.check('ListItemsReordered', { listId: LIST_ID, titleIds }).map((i) => i.path)).toEqual(['/titleIds']);
  });
});

describe('eventRegistry.upcast', () => {
  it('returns current-version data unchanged (same reference)', () => {
    const data = samples.ListDeleted;
    expect(eventRegistry.upcast('ListDeleted', 1, data)).toBe(data);
    expect(eventRegistry.upcast('TitleRated', 2, samples.TitleRated)).toBe(samples.TitleRated);
  });

  it.each([0, 3, 1.5, Number.NaN])('throws for TitleRated version %s', (version) => {
    expect(() => eventRegistry.upcast('TitleRated', version, samples.TitleRated)).toThrow(/unknown schema version/);
  });

  it('throws for a version newer than a v1-only type', () => {
    expect(() => eventRegistry.upcast('ListDeleted', 2, samples.ListDeleted)).toThrow(/unknown schema version/);
  });

  it('throws for an unknown type', () => {
    expect(() => eventRegistry.upcast('NoSuchEvent', 1, {})).toThrow(/unknown event type/);
  });

  it('throws when the stored payload does not match its stored version', () => {
    expect(() => eventRegistry.upcast('TitleRated', 1, { userId: USER_ID, titleId: 'movie:1', stars: 4.2 })).toThrow(/\/stars/);
  });
});

describe('ReelEvent (types)', () => {
  it('narrows data by type', () => {
    const narrow = (event: ReelEvent) => {
      if (event.type === 'TitleRated') {
        expectTypeOf(event.data).toEqualTypeOf<EventData<'TitleRated'>>();
        expectTypeOf(event.data.score).toBeNumber();
        return event.data.score;
      }
      if (event.type === 'ListItemAdded') {
        expectTypeOf(event.data.note).toEqualTypeOf<string | undefined>();
        return event.data.titleId;
      }
      return null;
    };
    expect(narrow({ type: 'TitleRated', data: samples.TitleRated })).toBe(9);
    expectTypeOf<Extract<ReelEvent, { type: 'UserErased' }>['data']>().toEqualTypeOf<{ userId: string }>();
    expectTypeOf<ReelEvent['type']>().toEqualTypeOf<EventType>();
    // @ts-expect-error a TitleRated event cannot carry a list payload
    const wrong: ReelEvent = { type: 'TitleRated', data: samples.ListDeleted };
    expect(wrong).toBeDefined();
  });
});
