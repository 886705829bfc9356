import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportDocument } from '@reeltime/schemas';
import { startStack, type QueryApiInstance, type Session, type Stack } from '../testing/stack.ts';

const FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")';

describe('GET /me/export through the real stack', () => {
  let stack: Stack;
  let api: QueryApiInstance;
  let me: Session;
  let wait: Record<string, string>;

  const command = async (method: string, path: string, body: unknown, session = me) => {
    const answer = await stack.command(method, path, { token: session.accessToken, body });
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const download = async (query: string, token = me.accessToken) => {
    const response = await fetch(`${api.baseUrl}/me/export${query}`, { headers: { authorization: `Bearer ${token}`, ...wait } });
    return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
  };

  beforeAll(async () => {
    stack = await startStack('qa_export');
    api = await stack.startQueryApi();
    await stack.seedTitle(949, 'Heat', { year: 1995, releaseDate: '1995-12-15', imdbId: 'tt0113277' });
    await stack.seedTitle(1001, FORMULA_TITLE, { year: 2001 });
    await stack.seedTitle(1002, 'Collateral', { year: 2004 });
    await stack.seedTitle(1005, 'Frasier', { titleId: 'tv:1005', mediaType: 'tv', year: 1993 });

    me = await stack.register('Exporter');
    await command('PUT', '/ratings/movie:949', { score: 9, review: 'Great "heist" film,\nwith a line break' });
    await command('PUT', '/ratings/movie:1001', { score: 4, review: '+cmd|calc', containsSpoilers: true });
    await command('PUT', '/ratings/tv:1005', { score: 8, review: 'Tossed salad' });
    await command('POST', '/diary', { titleId: 'movie:949', watchedOn: '2024-01-01' });
    await command('POST', '/diary', { titleId: 'movie:949', watchedOn: '2024-06-01', rewatch: true });
    await command('POST', '/diary', { titleId: 'tv:1005', watchedOn: '2024-02-02' });
    const best = await command('POST', '/lists', { name: 'Mann: the best / ever', description: '-1 to start', visibility: 'public' });
    await command('POST', `/lists/${best.listId}/items`, { titleId: 'movie:949', note: '@the top' });
    await command('POST', `/lists/${best.listId}/items`, { titleId: 'tv:1005' });
    await command('POST', `/lists/${best.listId}/items`, { titleId: 'movie:1001', note: 'second' });
    const secret = await command('POST', '/lists', { name: 'Secret', visibility: 'private' });
    await command('POST', `/lists/${secret.listId}/items`, { titleId: 'movie:1002' });
    await command('POST', '/lists', { name: 'Empty' });
    const other = await stack.register('Someone else');
    const theirs = await command('POST', '/lists', { name: 'Their secret', visibility: 'private' }, other);
    await command('POST', `/lists/${theirs.listId}/items`, { titleId: 'movie:1002', note: 'not yours' }, other);
    await command('PUT', '/ratings/movie:1002', { score: 2, review: 'their review' }, other);
    const lists = await api.get('/me/lists', { token: me.accessToken, headers: { 'x-min-position': secret.position } });
    const watchlist = lists.body.items.find((list: { kind: string }) => list.kind === 'watchlist');
    await command('POST', `/lists/${watchlist.listId}/items`, { titleId: 'tv:1005' });
    await command('POST', `/lists/${watchlist.listId}/items`, { titleId: 'movie:1002', note: 'soon' });
    const last = await command('PUT', '/preferences', {
      genres: { liked: [80], disliked: [27] },
      languages: ['en'],
      mediaTypes: ['movie'],
    });
    wait = { 'x-min-position': last.position };
  });
  afterAll(async () => stack?.close());

  it('is in the OpenAPI document, with both media types and the ExportDocument schema', async () => {
    const docs = await api.get('/docs/json');
    expect(docs.status).toBe(200);
    const operation = docs.body.paths['/me/export'].get;
    expect(Object.keys(operation.responses['200'].content).sort()).toEqual(['application/json', 'application/zip']);
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toContain('format');
    expect(docs.body.components.schemas.ExportDocument).toBeDefined();
  });

  it('needs a signed-in user: 401 problem+json without a token', async () => {
    const answer = await api.get('/me/export');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers an unknown format with a 400 naming the parameter', async () => {
    const answer = await api.get('/me/export?format=csv', { token: me.accessToken });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.errors).toEqual([expect.objectContaining({ in: 'querystring', field: '/format' })]);
  });

  it('exports everything as one JSON document of the ExportDocument schema, and only your own', async () => {
    const { response, bytes } = await download('?format=json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="reeltime-export-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const doc = JSON.parse(strFromU8(bytes));
    const check = Compile(ExportDocument);
    expect([...check.Errors(doc)]).toEqual([]);

    expect(doc.profile).toMatchObject({ userId: me.userId, displayName: 'Exporter' });
    expect(doc.preferences).toMatchObject({ genres: { liked: [80], disliked: [27] }, languages: ['en'], mediaTypes: ['movie'] });
    expect(doc.lists.map((list: { name: string; visibility: string; kind: string }) => [list.kind, list.name, list.visibility])).toEqual([
      ['watchlist', 'Watchlist', 'private'],
      ['custom', 'Mann: the best / ever', 'public'],
      ['custom', 'Secret', 'private'],
      ['custom', 'Empty', 'private'],
    ]);
    expect(doc.lists[0].items.map((item: { titleId: string; note: string | null }) => [item.titleId, item.note])).toEqual([
      ['tv:1005', null],
      ['movie:1002', 'soon'],
    ]);
    expect(doc.lists[1].description).toBe('-1 to start');
    expect(doc.lists[1].items).toEqual([
      expect.objectContaining({
        position: 1,
        titleId: 'movie:949',
        mediaType: 'movie',
        tmdbId: 949,
        imdbId: 'tt0113277',
        title: 'Heat',
        year: 1995,
        note: '@the top',
      }),
      expect.objectContaining({ position: 2, titleId: 'tv:1005', mediaType: 'tv', tmdbId: 1005, title: 'Frasier', note: null }),
      expect.objectContaining({ position: 3, titleId: 'movie:1001', title: FORMULA_TITLE, note: 'second' }),
    ]);
    expect(doc.lists[3].items).toEqual([]);

    const ratings = Object.fromEntries(doc.ratings.map((r: { titleId: string }) => [r.titleId, r]));
    expect(Object.keys(ratings).sort()).toEqual(['movie:1001', 'movie:949', 'tv:1005']);
    expect(ratings['movie:949']).toMatchObject({
      score: 9,
      review: 'Great "heist" film,\nwith a line break',
      containsSpoilers: false,
      tmdbId: 949,
      title: 'Heat',
    });
    expect(ratings['movie:1001']).toMatchObject({ score: 4, review: '+cmd|calc', containsSpoilers: true });
    expect(doc.diary.map((d: { titleId: string; watchedOn: string; rewatch: boolean }) => [d.titleId, d.watchedOn, d.rewatch])).toEqual([
      ['movie:949', '2024-06-01', true],
      ['tv:1005', '2024-02-02', false],
      ['movie:949', '2024-01-01', false],
    ]);
    // Another user's private list, note and rating are nowhere in it.
    const text = strFromU8(bytes);
    expect(text).not.toContain('Their secret');
    expect(text).not.toContain('not yours');
    expect(text).not.toContain('their review');
  });

  it("exports a zip in Letterboxd's layout: exact headers, half stars, films only, formulas escaped, only your own", async () => {
    const { response, bytes } = await download('?format=letterboxd');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/\.zip"$/);
    const files = Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
    expect(Object.keys(files).sort()).toEqual(
      [
        'README.txt',
        'diary.csv',
        'lists/empty.csv',
        'lists/mann-the-best-ever.csv',
        'lists/secret.csv',
        'ratings.csv',
        'reviews.csv',
        'watched.csv',
        'watchlist.csv',
      ].sort(),
    );
    const table = (name: string) => parse(files[name]!, { relax_column_count: false }) as string[][];
    const byName = (rows: string[][]) => Object.fromEntries(rows.slice(1).map((row) => [row[1], row]));

    const ratings = table('ratings.csv');
    expect(ratings[0]).toEqual(['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating', 'tmdbID', 'imdbID']);
    const today = new Date().toISOString().slice(0, 10);
    expect(byName(ratings)).toEqual({
      Heat: [today, 'Heat', '1995', '', '4.5', '949', 'tt0113277'],
      [`'${FORMULA_TITLE}`]: [today, `'${FORMULA_TITLE}`, '2001', '', '2', '1001', ''],
    });

    const diary = table('diary.csv');
    expect(diary[0]).toEqual(['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating', 'Rewatch', 'Tags', 'Watched Date', 'tmdbID', 'imdbID']);
    expect(diary.slice(1)).toEqual([
      [today, 'Heat', '1995', '', '4.5', 'Yes', '', '2024-06-01', '949', 'tt0113277'],
      [today, 'Heat', '1995', '', '4.5', '', '', '2024-01-01', '949', 'tt0113277'],
    ]);

    const watched = table('watched.csv');
    expect(watched[0]).toEqual(['Date', 'Name', 'Year', 'Letterboxd URI', 'tmdbID', 'imdbID']);
    expect(
      watched
        .slice(1)
        .map((row) => row[4])
        .sort(),
    ).toEqual(['1001', '949']);

    const watchlist = table('watchlist.csv');
    expect(watchlist).toEqual([
      ['Date', 'Name', 'Year', 'Letterboxd URI', 'tmdbID', 'imdbID', 'Description'],
      [today, 'Collateral', '2004', '', '1002', '', 'soon'],
    ]);

    const reviews = table('reviews.csv');
    expect(reviews[0]).toEqual([
      'Date',
      'Name',
      'Year',
      'Letterboxd URI',
      'Rating',
      'Rewatch',
      'Review',
      'Tags',
      'Watched Date',
      'tmdbID',
      'imdbID',
    ]);
    expect(byName(reviews)).toEqual({
      Heat: [today, 'Heat', '1995', '', '4.5', '', 'Great "heist" film,\nwith a line break', '', '', '949', 'tt0113277'],
      [`'${FORMULA_TITLE}`]: [today, `'${FORMULA_TITLE}`, '2001', '', '2', '', "'+cmd|calc", '', '', '1001', ''],
    });

    const list = files['lists/mann-the-best-ever.csv']!.split('\n');
    expect(list.slice(0, 5)).toEqual([
      'Letterboxd list export v7',
      'Date,Name,Tags,URL,Description',
      `${today},Mann: the best / ever,,,'-1 to start`,
      '',
      'Position,Name,Year,URL,Description,tmdbID,imdbID',
    ]);
    expect(parse(list.slice(4).join('\n'))).toEqual([
      ['Position', 'Name', 'Year', 'URL', 'Description', 'tmdbID', 'imdbID'],
      ['1', 'Heat', '1995', '', "'@the top", '949', 'tt0113277'],
      ['2', `'${FORMULA_TITLE}`, '2001', '', 'second', '1001', ''],
    ]);
    expect(files['lists/secret.csv']).toContain('Collateral');
    expect(files['lists/empty.csv']!.split('\n').slice(4)).toEqual(['Position,Name,Year,URL,Description,tmdbID,imdbID', '']);

    const all = Object.values(files).join('\n');
    expect(all).not.toContain('Frasier');
    expect(all).not.toContain('Their secret');
    expect(all).not.toContain('not yours');
    expect(all).not.toContain('their review');
    expect(files['README.txt']).toContain('- 1 TV ratings (ratings.csv)');
    expect(files['README.txt']).toContain('- 1 TV diary entries (diary.csv)');
    expect(files['README.txt']).toContain('- 1 TV titles on your watchlist (watchlist.csv)');
    expect(files['README.txt']).toContain('- 1 TV titles on your lists (lists/*.csv)');
    expect(files['README.txt']).toContain('(1 reviews are marked as containing spoilers)');
  });
});
