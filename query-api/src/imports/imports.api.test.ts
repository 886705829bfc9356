import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, imdb, letterboxd, trakt, zip, type Film } from '@reeltime/command-api/src/imports/fixtures.testing.ts';
import { TitleRequests } from '@reeltime/command-api/src/imports/title-requests.ts';
import { openServices } from '@reeltime/ingest/src/services.ts';
import { ingestSettings } from '@reeltime/ingest/src/settings.ts';
import { serveImportTitleRequests, tmdbClientFor } from '@reeltime/ingest/src/sources.ts';
import { startFakeTmdb } from '@reeltime/ingest/src/tmdb/fake-server.testing.ts';
import { eventually } from '@reeltime/projector/src/testing/harness.ts';
import { LiveClient, startStack, type QueryApiInstance, type Answer, type Session, type Stack } from '../testing/stack.ts';

// The whole path: upload to command-api, matching against the projected catalog, the deciders,
// the projector, and the status and activity as query-api serves them.

type Entry = { title: { id: string }; watchedOn: string; rewatch: boolean };
type Rated = { title: { id: string }; score: number; review: string | null };
type List = { listId: string; name: string; kind: string; description: string; itemCount: number };
type Item = { title: { id: string }; note: string | null };

let stack: Stack;
let query: QueryApiInstance;

const ALIEN: Film = { name: 'Alien', year: 1979 };
const ALIENS: Film = { name: 'Aliens', year: 1986 };
const MATRIX: Film = { name: 'The Matrix', year: 1999 };
const HEAT: Film = { name: 'Heat', year: 1995 };
const SOLARIS_1972: Film = { name: 'Solaris', year: 1972 };
const TWINS: Film = { name: 'Twins', year: 1988 };

beforeAll(async () => {
  stack = await startStack('imp');
  query = await stack.startQueryApi();
  const titles: [number, string, number, string | null][] = [
    [348, 'Alien', 1979, 'tt0078748'],
    [679, 'Aliens', 1986, 'tt0090605'],
    [603, 'The Matrix', 1999, 'tt0133093'],
    [949, 'Heat', 1995, 'tt0113277'],
    [593, 'Solaris', 1972, 'tt0069293'],
    [2103, 'Solaris', 2002, 'tt0307479'],
    [9493, 'Twins', 1988, null],
    [9494, 'Twins', 1988, null],
  ];
  let position = '';
  for (const [tmdbId, title, year, imdbId] of titles) position = await stack.seedTitle(tmdbId, title, { year, imdbId });
  position = await stack.harness.store
    .appendToStream('title-tv-1396', [
      {
        type: 'TitleImported',
        data: {
          ...(await import('@reeltime/projector/src/testing/events.ts')).titleImported(1396, 'Breaking Bad', {
            year: 2008,
            imdbId: 'tt0903747',
          }),
          titleId: 'tv:1396',
          mediaType: 'tv',
        },
      },
    ])
    .then((r) => r.position);
  await eventually(async () => expect((await query.get('/titles/tv:1396', { headers: { 'x-min-position': position } })).status).toBe(200));
}, 60_000);
afterAll(() => stack.close());

async function upload(
  user: Session,
  name: string,
  content: string | Uint8Array,
  source?: string,
): Promise<Pick<Answer, 'status' | 'body'>> {
  const response = await fetch(`${stack.commandUrl}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.accessToken}` },
    body: form(name, content, source),
  });
  return { status: response.status, body: await response.json() };
}

async function finished(user: Session, importId: string) {
  return eventually(async () => {
    const answer = await query.get(`/imports/${importId}`, { token: user.accessToken });
    expect(answer.status).toBe(200);
    expect(answer.body.status).not.toBe('running');
    // Every event of the import comes before its completion: reads at this position show them all.
    seen = answer.headers.get('x-position')!;
    return answer.body;
  }, 30_000);
}

/** The position of the last finished import's status: later reads wait for it. */
let seen = '';
const read = (path: string, user: Session) => query.get(path, { token: user.accessToken, headers: { 'x-min-position': seen } });

const exportZip = () =>
  zip({
    'diary.csv': letterboxd.diary([
      { film: ALIEN, watched: '2020-05-01', rating: 4.5 },
      { film: ALIEN, watched: '2023-10-31', rating: 5, rewatch: true },
      { film: { name: 'The Matrx', year: 1999 }, watched: '2021-01-02', rating: 4 },
      { film: TWINS, watched: '2021-02-03' },
      { film: { name: 'A Film Nobody Made', year: 1950 }, watched: '2021-03-04' },
    ]),
    'ratings.csv': letterboxd.ratings([{ film: HEAT, rating: 3.5 }]),
    'watched.csv': letterboxd.films([ALIEN, SOLARIS_1972]),
    'watchlist.csv': letterboxd.films([ALIENS]),
    'reviews.csv': letterboxd.reviews([{ film: HEAT, review: 'The diner scene.' }]),
    'lists/sci-fi.csv': letterboxd.list('Sci-fi', 'Space, mostly', [
      { film: MATRIX, note: 'start here' },
      { film: ALIEN },
      { film: SOLARIS_1972, note: 'slow' },
    ]),
    'deleted/diary.csv': letterboxd.diary([{ film: HEAT, watched: '2019-01-01' }]),
    'profile.csv': 'Date Joined,Username\n2019-01-01,someone\n',
  });

describe('importing a Letterboxd export', () => {
  let user: Session;
  let importId: string;

  it('answers 202 at once, then imports diary, ratings, reviews, watchlist and lists, reporting what did not match', async () => {
    user = await stack.register('Importer');
    const socket = await LiveClient.open(query.wsUrl);
    socket.send({ type: 'auth', token: user.accessToken });
    await socket.next('authenticated');
    socket.send({ type: 'subscribe', channels: ['me'] });
    await socket.next('subscribed');

    const accepted = await upload(user, 'letterboxd-someone-2026.zip', exportZip());
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ importId: expect.any(String), position: expect.any(String) });
    importId = accepted.body.importId;

    const status = await finished(user, importId);
    // watched.csv's Alien is already in the diary (diary.csv comes first): already present.
    expect(status).toMatchObject({
      importId,
      status: 'completed',
      source: 'letterboxd',
      rows: 13,
      matched: 11,
      imported: 10,
      alreadyPresent: 1,
      unmatchedCount: 2,
    });
    expect(status.unmatched).toEqual([
      { file: 'diary.csv', line: 5, text: 'Twins (1988)', reason: expect.stringMatching(/^ambiguous/) },
      { file: 'diary.csv', line: 6, text: 'A Film Nobody Made (1950)', reason: 'no title with this name and year in the catalog' },
    ]);

    const progress = await socket.until((messages) =>
      messages.find(
        (m) =>
          m.type === 'update' &&
          (m.data as { type: string; status?: string }).type === 'import.progress' &&
          (m.data as { status: string }).status === 'completed',
      ),
    );
    expect(progress).toMatchObject({ channel: 'me', data: { importId, imported: 10, alreadyPresent: 1, unmatchedCount: 2 } });
    socket.close();

    const diary = (await read('/me/diary?limit=50', user)).body.items;
    expect(diary.map((e: Entry) => [e.title.id, e.watchedOn, e.rewatch]).sort()).toEqual([
      ['movie:348', '2020-05-01', false],
      ['movie:348', '2023-10-31', true],
      ['movie:593', '2024-02-02', false],
      ['movie:603', '2021-01-02', false],
    ]);
    const ratings = (await read('/me/ratings?limit=50', user)).body.items;
    expect(ratings.map((r: Rated) => [r.title.id, r.score, r.review]).sort()).toEqual([
      ['movie:348', 10, null],
      ['movie:603', 8, null],
      ['movie:949', 7, 'The diner scene.'],
    ]);
    const lists: List[] = (await read('/me/lists', user)).body.items;
    const watchlist = lists.find((l) => l.kind === 'watchlist')!;
    const sciFi = lists.find((l) => l.name === 'Sci-fi')!;
    expect(sciFi).toMatchObject({ description: 'Space, mostly', visibility: 'private' });
    const items = (await read(`/lists/${sciFi.listId}`, user)).body.items;
    expect(items.map((i: Item) => [i.title.id, i.note])).toEqual([
      ['movie:603', 'start here'],
      ['movie:348', null],
      ['movie:593', 'slow'],
    ]);
    const watch = (await read(`/lists/${watchlist.listId}`, user)).body.items;
    expect(watch.map((i: Item) => i.title.id)).toEqual(['movie:679']);
  }, 60_000);

  it('imports nothing twice: the same file again finds every matched row already present', async () => {
    const before = await stack.harness.store.pool.query('SELECT count(*)::int AS n FROM events WHERE stream_id NOT LIKE $1', ['import-%']);
    const again = await upload(user, 'letterboxd-someone-2026.zip', exportZip());
    expect(again.status).toBe(202);
    const status = await finished(user, again.body.importId);
    expect(status).toMatchObject({ status: 'completed', rows: 13, matched: 11, imported: 0, alreadyPresent: 11, unmatchedCount: 2 });
    const after = await stack.harness.store.pool.query('SELECT count(*)::int AS n FROM events WHERE stream_id NOT LIKE $1', ['import-%']);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  }, 60_000);

  it("answers 404 for someone else's import", async () => {
    const other = await stack.register('Nosy');
    expect((await query.get(`/imports/${importId}`, { token: other.accessToken })).status).toBe(404);
    expect((await query.get(`/imports/${importId}`)).status).toBe(401);
  });
});

describe('imports that overlap your own activity', () => {
  it('counts the watch you logged on the same day and the same rating as already there', async () => {
    const user = await stack.register('Overlap');
    const token = user.accessToken;
    expect((await stack.command('POST', '/diary', { token, body: { titleId: 'movie:949', watchedOn: '2022-06-01' } })).status).toBe(201);
    expect((await stack.command('PUT', '/ratings/movie:949', { token, body: { score: 8, review: 'Mine.' } })).status).toBe(200);
    const accepted = await upload(
      user,
      'diary.csv',
      letterboxd.diary([
        { film: HEAT, watched: '2022-06-01', rating: 4 },
        { film: HEAT, watched: '2023-06-01' },
      ]),
    );
    const status = await finished(user, accepted.body.importId);
    expect(status).toMatchObject({ rows: 2, imported: 1, alreadyPresent: 1 });
    const diary = (await read('/me/diary', user)).body.items;
    expect(diary).toHaveLength(2);
    // Same score: the review you wrote stays.
    const [rating] = (await read('/me/ratings', user)).body.items;
    expect(rating).toMatchObject({ title: { id: 'movie:949' }, score: 8, review: 'Mine.' });
  }, 60_000);
});

describe('IMDb and Trakt', () => {
  it('imports IMDb ratings (BOM and CRLF) by IMDb id, series included, episodes reported', async () => {
    const user = await stack.register('Imdb');
    const file =
      '\ufeff' +
      imdb.ratings(
        [
          { id: 'tt0078748', title: 'Alien', year: 1979, rating: 9 },
          { id: 'tt0903747', title: 'Breaking Bad', year: 2008, rating: 10, type: 'TV Series' },
          { id: 'tt0959621', title: 'Pilot', year: 2008, rating: 8, type: 'TV Episode' },
        ],
        '\r\n',
      );
    const accepted = await upload(user, 'ratings.csv', file, 'imdb');
    expect(accepted.status).toBe(202);
    const status = await finished(user, accepted.body.importId);
    expect(status).toMatchObject({ source: 'imdb', rows: 3, imported: 2, unmatchedCount: 1 });
    expect(status.unmatched[0]).toMatchObject({ line: 4, reason: 'episodes are not tracked, only films and series' });
    const ratings = (await read('/me/ratings', user)).body.items;
    expect(ratings.map((r: Rated) => [r.title.id, r.score]).sort()).toEqual([
      ['movie:348', 9],
      ['tv:1396', 10],
    ]);

    const list = await upload(
      user,
      'Favourites.csv',
      imdb.list([
        { id: 'tt0133093', title: 'The Matrix', year: 1999, note: 'first' },
        { id: 'tt0078748', title: 'Alien', year: 1979 },
      ]),
    );
    expect((await finished(user, list.body.importId)).imported).toBe(2);
  }, 60_000);

  it('imports a Trakt zip by TMDb id: ratings, watched shows, watchlist and a named list', async () => {
    const user = await stack.register('Trakt');
    const file = zip({
      'ratings-movies.json': trakt.ratings('movie', [{ media: { title: 'Heat', year: 1995, tmdb: 949 }, rating: 9 }]),
      'watched-shows.json': trakt.watched('show', [
        { media: { title: 'Breaking Bad', year: 2008, tmdb: 1396 }, last: '2023-09-29T21:00:00.000Z' },
      ]),
      'watchlist.json': trakt.listItems([{ media: { title: 'Solaris', year: 2002, tmdb: 2103 } }]),
      'lists-lists.json': trakt.lists([{ name: 'Heists', slug: 'heists', description: 'Crews' }]),
      'lists-heists.json': trakt.listItems([{ media: { title: 'Heat', year: 1995, imdb: 'tt0113277' }, notes: 'the best' }]),
      'user-profile.json': '{"username":"someone"}',
    });
    const accepted = await upload(user, 'trakt-export.zip', file);
    const status = await finished(user, accepted.body.importId);
    expect(status).toMatchObject({ source: 'trakt', rows: 4, imported: 4, unmatchedCount: 0 });
    const diary = (await read('/me/diary', user)).body.items;
    expect(diary.map((e: Entry) => [e.title.id, e.watchedOn])).toEqual([['tv:1396', '2023-09-29']]);
    const lists: List[] = (await read('/me/lists', user)).body.items;
    const heists = lists.find((l) => l.name === 'Heists');
    expect(heists).toMatchObject({ description: 'Crews', itemCount: 1 });
  }, 60_000);
});

describe('an account that imports the moment it is registered', () => {
  it('waits for the read models to show its watchlist instead of reporting the rows "not found"', async () => {
    const resume = await stack.pauseProjector();
    let resumed = false;
    try {
      // Registered while nothing is projected: no read model knows its watchlist yet.
      const user = await stack.register('Hasty');
      const accepted = await upload(user, 'watchlist.csv', letterboxd.films([ALIENS, HEAT]));
      expect(accepted.status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await resume();
      resumed = true;
      const status = await finished(user, accepted.body.importId);
      expect(status).toMatchObject({ status: 'completed', rows: 2, imported: 2, unmatchedCount: 0 });
      const lists: List[] = (await read('/me/lists', user)).body.items;
      const watchlist = lists.find((l) => l.kind === 'watchlist')!;
      const items = (await read(`/lists/${watchlist.listId}`, user)).body.items;
      expect(items.map((i: Item) => i.title.id)).toEqual(['movie:679', 'movie:949']);
    } finally {
      if (!resumed) await resume();
    }
  }, 60_000);
});

// Last in this file: the title fetcher's heartbeat outlives it by up to 30 s, and the tests above
// rely on nobody fetching (rows with unknown ids are reported at once).
describe('a title missing from the catalog, with a TMDb credential set', () => {
  it("is fetched by ingest's find worker from TMDb (find by IMDb id, then details) and its row imported; TMDb's unknown ids are reported", async () => {
    // A local TMDb that answers only with the credential; ingest wired as its service is, from env.
    const TOKEN = 'import-test-token';
    const tmdb = await startFakeTmdb({ movies: [4811], credential: { token: TOKEN } });
    const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
    const settings = ingestSettings({
      ...stack.harness.env,
      COMMAND_SCHEMA: stack.commandSchema,
      INGEST_SCHEMA: `${stack.base}_ingest`,
      TMDB_READ_ACCESS_TOKEN: TOKEN,
      TMDB_BASE_URL: tmdb.url,
      TMDB_RATE_LIMIT: '0',
      LOG_LEVEL: 'silent',
    });
    const services = await openServices(settings, log);
    const client = tmdbClientFor(settings, log);
    const stop = new AbortController();
    const worker = serveImportTitleRequests(settings, {
      store: services.store,
      progress: services.progress,
      log,
      client,
      signal: stop.signal,
    });
    try {
      // As in a deployment, where ingest runs long before anyone imports: the loop has said it is
      // alive (its first pass writes that) before the import asks whether anyone will fetch.
      const requests = new TitleRequests(stack.harness.pool, stack.commandSchema);
      await eventually(async () => expect(await requests.fetcherAlive()).toBe(true));
      const user = await stack.register('Newcomer');
      const file = imdb.ratings([
        { id: 'tt0078748', title: 'Alien', year: 1979, rating: 9 },
        // Not in the catalog; TMDb knows it (the fake's movie 4811 has IMDb id tt0104811).
        { id: 'tt0104811', title: 'Movie 4811', year: 1961, rating: 7 },
        { id: 'tt7777777', title: 'Nobody Knows It', year: 2001, rating: 5 },
      ]);
      const accepted = await upload(user, 'ratings.csv', file);
      expect(accepted.status).toBe(202);
      const status = await finished(user, accepted.body.importId);
      expect(status).toMatchObject({ status: 'completed', source: 'imdb', rows: 3, matched: 2, imported: 2, unmatchedCount: 1 });
      expect(status.unmatched).toEqual([
        { file: 'ratings.csv', line: 4, text: 'Nobody Knows It (2001)', reason: 'TMDb knows no title with IMDb id tt7777777' },
      ]);
      expect(tmdb.hits('/3/find/tt0104811')).toBe(1);
      expect(tmdb.hits('/3/movie/4811')).toBeGreaterThanOrEqual(1);

      const ratings = (await read('/me/ratings', user)).body.items;
      expect(ratings.map((r: Rated) => [r.title.id, r.score]).sort()).toEqual([
        ['movie:348', 9],
        ['movie:4811', 7],
      ]);
      // The fetched title is in the catalog for everyone, as a sync would have put it there.
      const title = await read('/titles/movie:4811', user);
      expect(title.status).toBe(200);
      expect(title.body).toMatchObject({ id: 'movie:4811', title: 'Movie 4811' });

      // The same file again: nothing new, and TMDb is not asked again (found: in the catalog;
      // not found: remembered for a day).
      const again = await upload(user, 'ratings.csv', file);
      expect(await finished(user, again.body.importId)).toMatchObject({ imported: 0, alreadyPresent: 2, unmatchedCount: 1 });
      expect(tmdb.hits('/3/find/tt0104811')).toBe(1);
      expect(tmdb.hits('/3/find/tt7777777')).toBe(1);
    } finally {
      stop.abort();
      await worker;
      client.close();
      await services.close();
      await tmdb.close();
    }
  }, 90_000);
});
