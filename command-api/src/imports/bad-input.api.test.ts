import { TEXT_FORMAT_MESSAGE } from '@reeltime/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommandApi, type Answer, type CommandApiHarness, type Session } from '../testing/api.testing.ts';
import { csv, form, letterboxd, trakt, zip } from './fixtures.testing.ts';

// Bad files get a 4xx naming the file and line, and leave no trace: no import stream, no
// stored upload. (Matching is not reached here: this harness has no read models.)

let api: CommandApiHarness;
let user: Session;

beforeAll(async () => {
  api = await startCommandApi({
    importLimits: { maxFileBytes: 2 * 1024 * 1024, maxUnpackedBytes: 4 * 1024 * 1024 },
    readSchema: 'no_read_models_here',
  });
  user = await api.register();
});
afterAll(() => api.close());

async function upload(name: string, content: string | Uint8Array, source?: string, token = user.accessToken) {
  const response = await fetch(`${api.baseUrl}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form(name, content, source),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Answer['body'] };
}

const importEvents = async () =>
  (await api.store.pool.query(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'import-%'`)).rows[0].n;
const storedUploads = async () => (await api.pool.query(`SELECT count(*)::int AS n FROM ${api.schema}.imports`)).rows[0].n;

describe('POST /imports with bad input', () => {
  it.each([
    ['a file of no known export', 'notes.csv', 'Title,Stars\nAlien,5\n', 'notes.csv, line 1: is not a Letterboxd or IMDb export'],
    ['missing columns', 'diary.csv', 'Date,Name,Letterboxd URI\n2024-01-01,Alien,x\n', 'diary.csv, line 1: missing column Year'],
    [
      'broken quoting',
      'ratings.csv',
      'Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Alien,1979,x,4\n2024-01-02,"Heat" x,1995,y,3\n',
      'ratings.csv, line 3: broken quoting',
    ],
    [
      'a row with too many fields',
      'ratings.csv',
      'Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Alien,1979,x,4,extra\n',
      'ratings.csv, line 2: has 6 fields where the header has 5',
    ],
    ['JSON that is not JSON', 'ratings-movies.json', '[{"rating": 9,\n "movie": {]', 'ratings-movies.json, line 2: is not valid JSON'],
    ['JSON that is not a Trakt export', 'data.json', '{"hello": "world"}', 'data.json, line 1: is not a Trakt export'],
    ['text that is not UTF-8', 'diary.csv', new Uint8Array([0x44, 0x61, 0xff, 0xfe, 0x0a]), 'diary.csv: is not UTF-8 text'],
    [
      'a zip with no export in it',
      'export.zip',
      zip({ 'readme.txt': 'hello' }),
      'export.zip: holds no Letterboxd, IMDb, Trakt or Reeltime export file',
    ],
    [
      'a Reeltime export that departs from its schema',
      'reeltime-export.json',
      JSON.stringify({ format: 'reeltime-export', version: 1, ratings: [{ titleId: 'movie:603', score: 11 }] }),
      "reeltime-export.json: is not a Reeltime export: it does not match the export's schema (/",
    ],
    [
      'JSON given as a Reeltime export that is not one',
      'data.json',
      '{"hello": "world"}',
      'data.json, line 1: is not a Reeltime export',
      'reeltime',
    ],
    // Text PostgreSQL cannot store would fail the import in the background (or its report).
    [
      'a NUL in a review',
      'reviews.csv',
      letterboxd.reviews([{ film: { name: 'Alien', year: 1979 }, rating: 4, review: 'in space\u0000no one' }]),
      `reviews.csv, line 2: column 7 ${TEXT_FORMAT_MESSAGE}`,
    ],
    [
      'a lone surrogate in a list note',
      'lists-heists.json',
      trakt.listItems([{ media: { title: 'Heat', year: 1995, tmdb: 949 }, notes: 'half \uD83D of an emoji' }]),
      `lists-heists.json: /0/notes ${TEXT_FORMAT_MESSAGE}`,
    ],
    [
      'a source that does not fit the file',
      'diary.csv',
      letterboxd.diary([{ film: { name: 'Alien', year: 1979 }, watched: '2020-01-01' }]),
      'diary.csv: is a Letterboxd export, not IMDb',
      'imdb',
    ],
  ])('refuses %s with 400 naming file and line', async (_what, name, content, detail, source?: string) => {
    const answer = await upload(name, content, source);
    expect(answer.status).toBe(400);
    expect(answer.type).toContain('application/problem+json');
    expect(answer.body.detail).toContain(detail);
    expect(answer.body.errors[0]).toMatchObject({ in: 'body', field: '/file' });
  });

  it('refuses a file whose name holds a NUL with 400 naming the file field (it is stored with the import)', async () => {
    const answer = await upload('diary\u0000.csv', letterboxd.diary([{ film: { name: 'Alien', year: 1979 }, watched: '2020-01-01' }]));
    expect(answer.status).toBe(400);
    expect(answer.type).toContain('application/problem+json');
    expect(answer.body.errors).toEqual([{ in: 'body', field: '/file', message: `its name ${TEXT_FORMAT_MESSAGE}` }]);
  });

  it('refuses a zip entry whose path escapes, naming it', async () => {
    const answer = await upload('export.zip', zip({ 'diary.csv': letterboxd.diary([]), '../../etc/cron.d/evil.csv': 'x' }));
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toBe('../../etc/cron.d/evil.csv: path escapes the archive (in export.zip)');
  });

  it('answers 413 to a file over the size limit and to a zip bomb', async () => {
    const big = await upload('diary.csv', 'x'.repeat(2 * 1024 * 1024 + 10));
    expect(big.status).toBe(413);
    expect(big.type).toContain('application/problem+json');
    // 64 MiB of zeros compress to about 64 KiB.
    const bomb = zip({ 'diary.csv': new Uint8Array(64 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const answer = await upload('export.zip', bomb);
    expect(answer.status).toBe(413);
    expect(answer.body.detail).toBe(`export.zip: unpacks to more than ${4 * 1024 * 1024} bytes`);
  });

  it('refuses a request without the file field, with another field, or that is not multipart', async () => {
    const noFile = new FormData();
    noFile.append('source', 'letterboxd');
    const headers = { authorization: `Bearer ${user.accessToken}` };
    const missing = await fetch(`${api.baseUrl}/imports`, { method: 'POST', headers, body: noFile });
    expect(missing.status).toBe(400);
    const extra = form('diary.csv', letterboxd.diary([]));
    extra.append('owner', 'someone-else');
    expect((await fetch(`${api.baseUrl}/imports`, { method: 'POST', headers, body: extra })).status).toBe(400);
    expect((await upload('diary.csv', letterboxd.diary([]), 'netflix')).status).toBe(400);
    const json = await fetch(`${api.baseUrl}/imports`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    expect((await upload('diary.csv', letterboxd.diary([]), undefined, 'not-a-token')).status).toBe(401);
  });

  it('wrote nothing for any of them', async () => {
    expect(await importEvents()).toBe(0);
    expect(await storedUploads()).toBe(0);
  });
});

describe('POST /imports with good input', () => {
  it('accepts a 100,000-row diary with a BOM and CRLF in well under the request time', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [
      `2020-01-0${(i % 9) + 1}`,
      `Film number ${i}`,
      1950 + (i % 70),
      `https://boxd.it/x${i}`,
      '3.5',
      '',
      '',
      `2020-01-0${(i % 9) + 1}`,
    ]);
    const file = '\ufeff' + csv(['Date', 'Name', 'Year', 'Letterboxd URI', 'Rating', 'Rewatch', 'Tags', 'Watched Date'], rows, '\r\n');
    expect(file.length).toBeGreaterThan(2 * 1024 * 1024);
    const roomy = await startCommandApi({ readSchema: 'no_read_models_here' });
    try {
      const someone = await roomy.register();
      const started = Date.now();
      const response = await fetch(`${roomy.baseUrl}/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${someone.accessToken}` },
        body: form('diary.csv', file),
      });
      expect(response.status).toBe(202);
      expect(Date.now() - started).toBeLessThan(10_000);
      const { importId } = (await response.json()) as Answer['body'];
      const [startedEvent] = await roomy.store.readStream(`import-${importId}`);
      expect(startedEvent).toMatchObject({
        type: 'ImportStarted',
        data: { importId, source: 'letterboxd', fileName: 'diary.csv', rows: 100_000 },
      });
    } finally {
      await roomy.app.imports.stop();
      await roomy.close();
    }
  }, 60_000);
});
