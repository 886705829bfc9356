import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordedEvent } from '@reeltime/eventstore';
import { EventEnvelope, eventRegistry } from '@reeltime/schemas';
import { Compile } from 'typebox/compile';
import { afterAll, describe, expect, it } from 'vitest';
import { movieLensUserId, replayEvents, titleImportedData, yearOf } from './events.ts';
import { readMovieLens, type MovieLensDataset } from './movielens.ts';
import { stratifiedSplit } from './split.ts';
import { SYNTHETIC, writeSyntheticMovieLens } from './synthetic.testing.ts';

const envelope = Compile(EventEnvelope);
const root = mkdtempSync(path.join(tmpdir(), 'reeltime-events-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dataset(rows: [user: number, movie: number, stars: number, timestamp: number][]): MovieLensDataset {
  return {
    layout: 'ml-latest',
    directory: '/nowhere',
    ratings: {
      userId: rows.map((r) => r[0]),
      movieId: rows.map((r) => r[1]),
      stars: rows.map((r) => r[2]),
      timestamp: rows.map((r) => r[3]),
    },
    movies: new Map([
      [1, { movieId: 1, rawTitle: 'Toy Story (1995)', genres: ['Adventure', 'Children', 'IMAX'], imdbId: 'tt0114709', releaseDate: null }],
      [2, { movieId: 2, rawTitle: 'Heat (1995)', genres: ['Crime', 'Film-Noir'], imdbId: null, releaseDate: null }],
      [3, { movieId: 3, rawTitle: 'Untouched (2001)', genres: ['Drama'], imdbId: null, releaseDate: null }],
    ]),
  };
}

const summary = (event: RecordedEvent) =>
  event.type === 'TitleImported'
    ? `import ${event.data.titleId}`
    : event.type === 'UserRegistered'
      ? `register ${event.data.displayName}`
      : event.type === 'TitleRated'
        ? `rate ${event.data.titleId} ${event.data.score} ${event.occurredAt}`
        : event.type;

describe('titleImportedData', () => {
  it('maps MovieLens genres to TMDb ids (IMAX and unknown dropped, Film-Noir folded into Crime)', () => {
    const data = titleImportedData({
      movieId: 2,
      rawTitle: 'Heat (1995)',
      genres: ['Crime', 'Film-Noir', 'IMAX', 'unknown', "Children's", 'Sci-Fi'],
      imdbId: null,
      releaseDate: null,
    });
    expect(data).toMatchObject({
      titleId: 'movie:2',
      tmdbId: 2,
      title: 'Heat',
      year: 1995,
      genreIds: [80, 10751, 878],
      originalLanguage: 'en',
      popularity: 0,
    });
    expect(eventRegistry.check('TitleImported', data)).toEqual([]);
  });

  it('keeps a title without a year, and takes ml-100k release dates', () => {
    expect(
      titleImportedData({ movieId: 9, rawTitle: 'Babylon 5', genres: ['(no genres listed)'], imdbId: null, releaseDate: null }),
    ).toMatchObject({ title: 'Babylon 5', year: null, genreIds: [] });
    expect(titleImportedData({ movieId: 9, rawTitle: 'unknown', genres: [], imdbId: null, releaseDate: '1997-01-24' })).toMatchObject({
      year: 1997,
      releaseDate: '1997-01-24',
    });
    expect(titleImportedData({ movieId: 9, rawTitle: '', genres: [], imdbId: null, releaseDate: null }).title).toBe('MovieLens movie 9');
  });

  it.each([
    ['Toy Story (1995)', 1995],
    ['Fawlty Towers (1975-1979)', 1975],
    ['Big Bang Theory, The (2007-)', 2007],
    ['Babylon 5', null],
    ['Movie (0001)', null],
  ])('yearOf(%j) = %j', (raw, year) => expect(yearOf(raw)).toBe(year));
});

describe('replayEvents', () => {
  // Rows 0..4; row 4 (movie 3) is held out, so movie 3 is never imported.
  const data = dataset([
    [7, 2, 4.5, 200],
    [5, 1, 0.5, 100],
    [7, 1, 3, 100],
    [5, 2, 5, 300],
    [5, 3, 2, 50],
  ]);
  const events = [...replayEvents(data, [0, 1, 2, 3])];

  it('imports the training catalog first, then registers each user right before their first rating, ratings in time order (ties in file order)', () => {
    expect(events.map(summary)).toEqual([
      'import movie:1',
      'import movie:2',
      'register MovieLens user 5',
      'rate movie:1 1 1970-01-01T00:01:40.000Z',
      'register MovieLens user 7',
      'rate movie:1 6 1970-01-01T00:01:40.000Z',
      'rate movie:2 9 1970-01-01T00:03:20.000Z',
      'rate movie:2 10 1970-01-01T00:05:00.000Z',
    ]);
  });

  it('makes valid events: data per the registry, a full envelope, streams and increasing positions', () => {
    for (const event of events) {
      expect(eventRegistry.check(event.type, event.data)).toEqual([]);
      const { eventId, type, schemaVersion, occurredAt, correlationId, causationId, userId } = event;
      expect(envelope.Check({ eventId, type, schemaVersion, occurredAt, correlationId, causationId, userId })).toBe(true);
      expect(event.version).toBe(1);
    }
    expect(events.map((event) => event.position)).toEqual([...events.map((event) => event.position)].sort());
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
    const rating = events.find((event) => event.type === 'TitleRated')!;
    const user = movieLensUserId(5);
    expect(rating).toMatchObject({
      streamId: `rating-${user}-movie:1`,
      userId: user,
      schemaVersion: 2,
      data: { userId: user, containsSpoilers: false },
    });
    expect(events[0]).toMatchObject({ streamId: 'title-movie-1', userId: null, occurredAt: '1970-01-01T00:01:40.000Z' });
  });

  it('gives each MovieLens user the same UUID every time', () => {
    expect(movieLensUserId(5)).toBe(movieLensUserId(5));
    expect(movieLensUserId(5)).not.toBe(movieLensUserId(7));
    expect(movieLensUserId(1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('replays a generated dataset into valid events', async () => {
    const directory = path.join(root, 'synthetic');
    writeSyntheticMovieLens(directory);
    const synthetic = await readMovieLens(directory);
    const split = stratifiedSplit(synthetic.ratings.userId, { ratio: 0.75, seed: 42 });
    const replayed = [...replayEvents(synthetic, split.train)];
    expect(replayed.filter((event) => event.type === 'TitleRated')).toHaveLength(split.train.length);
    expect(replayed.filter((event) => event.type === 'UserRegistered')).toHaveLength(SYNTHETIC.users);
    expect(replayed.every((event) => eventRegistry.check(event.type, event.data).length === 0)).toBe(true);
  });
});
