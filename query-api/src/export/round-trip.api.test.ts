import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type QueryApiInstance, type Session, type Stack } from '../testing/stack.ts';
import { roundTrip } from './round-trip.testing.ts';

// Leaving and coming back: the Letterboxd zip that GET /me/export writes, uploaded to POST
// /imports for a fresh account, gives that account the same ratings, diary and lists. Titles
// whose names alone would not match (two films called Solaris, a name that looks like a
// formula and is exported with a leading ') match by the tmdbID column. Two watches of a film on
// one day stay two, and the watchlist's notes come back from watchlist.csv's Description column.

const FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")';

type Rated = { title: { id: string }; score: number; review: string | null };
type Entry = { title: { id: string }; watchedOn: string; rewatch: boolean };
type List = { listId: string; name: string; kind: string; description: string };
type Item = { title: { id: string }; note: string | null };

let stack: Stack;
let api: QueryApiInstance;
let people: ReturnType<typeof roundTrip>;
let before: Session;
let after: Session;

const read = (who: Session, path: string) => people.read(who, path);
const command = (method: string, path: string, body?: unknown) => people.command(before, method, path, body);

/** Everything the comparison looks at, in a form that does not depend on ids or order of arrival. */
async function everything(person: Session) {
  const ratings = (await read(person, '/me/ratings?limit=100')).items as Rated[];
  const diary = (await read(person, '/me/diary?limit=100')).items as Entry[];
  const lists = (await read(person, '/me/lists?limit=100')).items as List[];
  const withItems = [];
  for (const list of lists) {
    const items = (await read(person, `/lists/${list.listId}?limit=100`)).items as Item[];
    withItems.push({
      kind: list.kind,
      name: list.name,
      description: list.description,
      items: items.map((item) => [item.title.id, item.note]),
    });
  }
  return {
    ratings: ratings.map((r) => [r.title.id, r.score, r.review]).sort(),
    diary: diary.map((e) => [e.title.id, e.watchedOn, e.rewatch]).sort(),
    lists: withItems.sort((a, b) => `${a.kind}|${a.name}`.localeCompare(`${b.kind}|${b.name}`)),
  };
}

beforeAll(async () => {
  stack = await startStack('roundtrip');
  api = await stack.startQueryApi();
  people = roundTrip(stack, api);
  await stack.seedTitle(949, 'Heat', { year: 1995, imdbId: 'tt0113277' });
  await stack.seedTitle(593, 'Solaris', { year: 1972, imdbId: 'tt0069293' });
  await stack.seedTitle(2103, 'Solaris', { year: 2002, imdbId: 'tt0307479' });
  await stack.seedTitle(1001, FORMULA_TITLE, { year: 2001 });
  await stack.seedTitle(603, 'The Matrix', { year: 1999 });

  before = await stack.register('Leaving');
  await command('PUT', '/ratings/movie:949', { score: 9, review: 'Great "heist" film,\nwith a line break' });
  await command('PUT', '/ratings/movie:593', { score: 10 });
  await command('PUT', '/ratings/movie:2103', { score: 5, review: '-1 for the remake' });
  await command('PUT', '/ratings/movie:1001', { score: 1 });
  await command('POST', '/diary', { titleId: 'movie:949', watchedOn: '2024-01-01' });
  // A double feature of the same film: two entries on one day.
  await command('POST', '/diary', { titleId: 'movie:949', watchedOn: '2024-06-01', rewatch: true });
  await command('POST', '/diary', { titleId: 'movie:949', watchedOn: '2024-06-01', rewatch: true });
  await command('POST', '/diary', { titleId: 'movie:593', watchedOn: '2023-03-03' });
  await command('POST', '/diary', { titleId: 'movie:2103', watchedOn: '2023-03-04' });
  await command('POST', '/diary', { titleId: 'movie:603', watchedOn: '1999-04-01' });
  const best = await command('POST', '/lists', { name: 'Best / ever', description: '-1 to start', visibility: 'public' });
  await command('POST', `/lists/${best.listId}/items`, { titleId: 'movie:949', note: '@the top' });
  await command('POST', `/lists/${best.listId}/items`, { titleId: 'movie:593' });
  await command('POST', `/lists/${best.listId}/items`, { titleId: 'movie:1001', note: 'second\nline' });
  await command('POST', `/lists/${best.listId}/items`, { titleId: 'movie:2103' });
  await command('PUT', `/lists/${best.listId}/order`, { titleIds: ['movie:2103', 'movie:949', 'movie:1001', 'movie:593'] });
  const other = await command('POST', '/lists', { name: 'Solaris, twice', description: '' });
  await command('POST', `/lists/${other.listId}/items`, { titleId: 'movie:2103', note: '=2002' });
  await command('POST', `/lists/${other.listId}/items`, { titleId: 'movie:593', note: '+1972' });
  const watchlist = ((await read(before, '/me/lists')).items as List[]).find((list) => list.kind === 'watchlist')!;
  await command('POST', `/lists/${watchlist.listId}/items`, { titleId: 'movie:603', note: '-with friends,\n"soon"' });
  await command('POST', `/lists/${watchlist.listId}/items`, { titleId: 'movie:1001' });
}, 120_000);
afterAll(() => stack?.close());

describe('export for Letterboxd, then import into a fresh account', () => {
  it('gives the same ratings (half stars included), diary (rewatches, dates) and lists (order, notes)', async () => {
    const zip = await people.exported(before, 'letterboxd');
    after = await stack.register('Arriving');
    const status = await people.imported(after, 'reeltime-export.zip', zip);
    expect(status).toMatchObject({ status: 'completed', unmatchedCount: 0, unmatched: [] });

    const original = await everything(before);
    expect(original.ratings).toHaveLength(4);
    expect(original.diary).toHaveLength(6);
    expect(original.lists.find((list) => list.kind === 'watchlist')?.items).toContainEqual(['movie:603', '-with friends,\n"soon"']);
    // Lists are private when imported: Letterboxd's files do not say whether a list was public.
    expect(await everything(after)).toEqual(original);
  }, 120_000);
});
