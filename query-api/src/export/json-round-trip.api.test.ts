import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reeltimeExport } from '@reeltime/command-api/src/imports/fixtures.testing.ts';
import { startStack, type QueryApiInstance, type Session, type Stack } from '../testing/stack.ts';
import { roundTrip } from './round-trip.testing.ts';

// Moving between Reeltime instances, or restoring an account: the JSON document GET /me/export
// writes, uploaded to POST /imports, gives a fresh account the same ratings (reviews and their
// spoiler flags), diary, lists (visibility, description, order, notes) and preferences, series
// included, which the Letterboxd zip cannot carry. A second upload, into either account, adds nothing.

type Rated = { title: { id: string }; score: number; review: string | null; containsSpoilers: boolean };
type Entry = { title: { id: string }; watchedOn: string; rewatch: boolean };
type List = { listId: string; name: string; kind: string; description: string; visibility: string };
type Item = { title: { id: string }; note: string | null };

let stack: Stack;
let api: QueryApiInstance;
let people: ReturnType<typeof roundTrip>;
let before: Session;

const command = (method: string, path: string, body?: unknown) => people.command(before, method, path, body);

/** Everything the comparison looks at, in a form that does not depend on ids or order of arrival. */
async function everything(person: Session) {
  const read = (path: string) => people.read(person, path);
  const ratings = (await read('/me/ratings?limit=100')).items as Rated[];
  const diary = (await read('/me/diary?limit=100')).items as Entry[];
  const lists = (await read('/me/lists?limit=100')).items as List[];
  const { updatedAt: _, ...preferences } = await read('/me/preferences');
  const withItems = [];
  for (const list of lists) {
    const items = (await read(`/lists/${list.listId}?limit=100`)).items as Item[];
    const { kind, name, description, visibility } = list;
    withItems.push({ kind, name, description, visibility, items: items.map((item) => [item.title.id, item.note]) });
  }
  return {
    ratings: ratings.map((r) => [r.title.id, r.score, r.review, r.containsSpoilers]).sort(),
    diary: diary.map((e) => [e.title.id, e.watchedOn, e.rewatch]).sort(),
    lists: withItems.sort((a, b) => `${a.kind}|${a.name}`.localeCompare(`${b.kind}|${b.name}`)),
    preferences,
  };
}

beforeAll(async () => {
  stack = await startStack('jsonroundtrip');
  api = await stack.startQueryApi();
  people = roundTrip(stack, api);
  await stack.seedTitle(949, 'Heat', { year: 1995, imdbId: 'tt0113277' });
  await stack.seedTitle(593, 'Solaris', { year: 1972 });
  await stack.seedTitle(1399, 'Game of Thrones', { titleId: 'tv:1399', mediaType: 'tv', year: 2011 });
  await stack.seedTitle(1005, 'Frasier', { titleId: 'tv:1005', mediaType: 'tv', year: 1993 });

  before = await stack.register('Leaving');
  await command('PUT', '/ratings/movie:949', { score: 9, review: 'Great "heist" film' });
  await command('PUT', '/ratings/tv:1399', { score: 8, review: 'The wedding, though.', containsSpoilers: true });
  await command('PUT', '/ratings/tv:1005', { score: 7 });
  await command('POST', '/diary', { titleId: 'movie:949', watchedOn: '2024-01-01' });
  // A double feature: two entries of one title on one day stay two.
  await command('POST', '/diary', { titleId: 'movie:949', watchedOn: '2024-06-01', rewatch: true });
  await command('POST', '/diary', { titleId: 'movie:949', watchedOn: '2024-06-01', rewatch: true });
  await command('POST', '/diary', { titleId: 'tv:1399', watchedOn: '2023-03-03' });
  const best = await command('POST', '/lists', { name: 'Best', description: 'Films and series', visibility: 'public' });
  await command('POST', `/lists/${best.listId}/items`, { titleId: 'movie:949', note: 'the top' });
  await command('POST', `/lists/${best.listId}/items`, { titleId: 'tv:1399' });
  await command('POST', `/lists/${best.listId}/items`, { titleId: 'movie:593', note: 'slow' });
  await command('PUT', `/lists/${best.listId}/order`, { titleIds: ['tv:1399', 'movie:593', 'movie:949'] });
  await command('POST', '/lists', { name: 'Empty and private', description: '' });
  const watchlist = ((await people.read(before, '/me/lists')).items as List[]).find((list) => list.kind === 'watchlist')!;
  await command('POST', `/lists/${watchlist.listId}/items`, { titleId: 'tv:1005', note: 'all eleven seasons' });
  await command('PUT', '/preferences', {
    genres: { liked: [18], disliked: [27] },
    people: { liked: [2] },
    languages: ['fr'],
    mediaTypes: ['tv'],
  });
}, 120_000);
afterAll(() => stack?.close());

describe('JSON export, then import', () => {
  it('gives a fresh account the same ratings, diary, lists and preferences; a second upload adds nothing', async () => {
    const document = await people.exported(before, 'json');
    const original = await everything(before);
    expect(original.ratings).toContainEqual(['tv:1399', 8, 'The wedding, though.', true]);
    expect(original.diary).toHaveLength(4);
    expect(original.lists.find((list) => list.name === 'Best')).toMatchObject({ visibility: 'public' });
    expect(original.lists.find((list) => list.name === 'Empty and private')).toMatchObject({ visibility: 'private', items: [] });

    const after = await stack.register('Arriving');
    const first = await people.imported(after, 'reeltime-export.json', document);
    // One row per list (the watchlist aside), list item, rating and diary entry, and one for the preferences.
    const rows = 1 + 2 + 3 + 1 + 3 + 4;
    expect(first).toMatchObject({ status: 'completed', source: 'reeltime', rows, imported: rows, unmatchedCount: 0 });
    const expected = await everything(after);
    expect(expected).toEqual(original);

    const again = await people.imported(after, 'reeltime-export.json', document);
    expect(again).toMatchObject({ status: 'completed', rows, imported: 0, alreadyPresent: rows, unmatchedCount: 0 });
    expect(await everything(after)).toEqual(expected);
  }, 180_000);

  it('restores into the account it came from without copying anything', async () => {
    const document = await people.exported(before, 'json');
    const original = await everything(before);
    const restored = await people.imported(before, 'reeltime-export.json', document);
    expect(restored).toMatchObject({ status: 'completed', imported: 0, unmatchedCount: 0 });
    expect(await everything(before)).toEqual(original);

    // A list deleted since the export comes back (under a new id: a deleted list's id stays taken).
    const lists = (await people.read(before, '/me/lists?limit=100')).items as List[];
    await command('DELETE', `/lists/${lists.find((list) => list.name === 'Best')!.listId}`);
    expect((await everything(before)).lists.map((list) => list.name)).not.toContain('Best');
    const again = await people.imported(before, 'reeltime-export.json', document);
    expect(again).toMatchObject({ status: 'completed', imported: 1 + 3, unmatchedCount: 0 });
    expect(await everything(before)).toEqual(original);
  }, 180_000);

  it('reports a title the catalog lacks (no TMDb credential here) by what it is, and imports the rest', async () => {
    const document = reeltimeExport({
      ratings: [
        { title: { id: 'movie:949', title: 'Heat', year: 1995 }, score: 6 },
        { title: { id: 'tv:424242', title: 'Nowhere', year: 2020 }, score: 6 },
      ],
    });
    const person = await stack.register('Partly');
    const status = await people.imported(person, 'reeltime-export.json', new TextEncoder().encode(document));
    expect(status).toMatchObject({ status: 'completed', rows: 3, imported: 1, alreadyPresent: 1, unmatchedCount: 1 });
    expect(status.unmatched).toEqual([
      {
        file: 'reeltime-export.json',
        line: 0,
        text: 'Nowhere (2020)',
        reason: 'not in the catalog, and no TMDb credential is set to fetch it',
      },
    ]);
    expect((await everything(person)).ratings).toEqual([['movie:949', 6, null, false]]);
  }, 180_000);
});
