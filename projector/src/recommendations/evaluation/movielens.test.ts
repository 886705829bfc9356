import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetLayoutError, detectLayout, parse100kDate, readMovieLens } from './movielens.ts';

const root = mkdtempSync(path.join(tmpdir(), 'reeltime-movielens-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string | Buffer>): string {
  const directory = path.join(root, name);
  mkdirSync(directory);
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(directory, file), content);
  return directory;
}

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

describe('ml-latest layout (ratings.csv, movies.csv, links.csv; CRLF as GroupLens ships them)', () => {
  const directory = folder('latest', {
    'ratings.csv': crlf([
      'userId,movieId,rating,timestamp',
      '1,1,4.0,964982703',
      '1,3,0.5,964981247',
      '2,1,5.0,1445714994',
      '10,2,3.5,1445714835',
    ]),
    'movies.csv': crlf([
      'movieId,title,genres',
      '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy',
      '2,"American President, The (1995)",Comedy|Drama|Romance',
      '3,"""Great Performances"" Cats (1998)",Musical',
      '4,Babylon 5,(no genres listed)',
    ]),
    'links.csv': crlf(['movieId,imdbId,tmdbId', '1,0114709,862', '2,0112346,9087', '3,0173714,', '4,,']),
  });

  it('is detected', () => expect(detectLayout(directory)).toBe('ml-latest'));

  it('reads ratings in file order, as columns', async () => {
    const { ratings } = await readMovieLens(directory);
    expect(ratings).toEqual({
      userId: [1, 1, 2, 10],
      movieId: [1, 3, 1, 2],
      stars: [4, 0.5, 5, 3.5],
      timestamp: [964982703, 964981247, 1445714994, 1445714835],
    });
  });

  it('reads quoted titles, genres and IMDb ids (with their leading zeros)', async () => {
    const { movies, layout } = await readMovieLens(directory);
    expect(layout).toBe('ml-latest');
    expect([...movies.values()]).toEqual([
      {
        movieId: 1,
        rawTitle: 'Toy Story (1995)',
        genres: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'],
        imdbId: 'tt0114709',
        releaseDate: null,
      },
      {
        movieId: 2,
        rawTitle: 'American President, The (1995)',
        genres: ['Comedy', 'Drama', 'Romance'],
        imdbId: 'tt0112346',
        releaseDate: null,
      },
      { movieId: 3, rawTitle: '"Great Performances" Cats (1998)', genres: ['Musical'], imdbId: 'tt0173714', releaseDate: null },
      { movieId: 4, rawTitle: 'Babylon 5', genres: ['(no genres listed)'], imdbId: null, releaseDate: null },
    ]);
  });

  it('reads LF files and works without links.csv', async () => {
    const lf = folder('latest-lf', {
      'ratings.csv': 'userId,movieId,rating,timestamp\n5,7,2.5,1\n',
      'movies.csv': 'movieId,title,genres\n7,Heat (1995),Action|Crime|Thriller\n',
    });
    const dataset = await readMovieLens(lf);
    expect(dataset.ratings.stars).toEqual([2.5]);
    expect(dataset.movies.get(7)).toMatchObject({ rawTitle: 'Heat (1995)', imdbId: null });
  });

  it('names the file and line of a bad rating', async () => {
    const bad = folder('latest-bad', {
      'ratings.csv': crlf(['userId,movieId,rating,timestamp', '1,1,4.0,1', '1,2,4.2,2']),
      'movies.csv': crlf(['movieId,title,genres']),
    });
    await expect(readMovieLens(bad)).rejects.toThrow(/ratings\.csv:3: bad rating "4.2"/);
  });
});

describe('ml-100k layout (u.data tab-separated, u.item latin1 with genre flags)', () => {
  const flags = (on: number[]) => Array.from({ length: 19 }, (_, index) => (on.includes(index) ? '1' : '0')).join('|');
  const directory = folder('100k', {
    'u.data': '196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n',
    'u.item': Buffer.concat([
      Buffer.from(`242|Kolya (1996)|24-Jan-1997||http://us.imdb.com/M/title-exact?Kolya%20(1996)|${flags([5])}\n`, 'latin1'),
      Buffer.from(
        `302|L.A. Confidential (1997)|01-Jan-1997||http://us.imdb.com/M/title-exact?L%2EA%2E+Confidential+(1997)|${flags([6, 10, 13, 16])}\n`,
        'latin1',
      ),
      // 0xE9 is é in latin1; in UTF-8 it would be an invalid byte.
      Buffer.from(`377|Mis\xe9rables, Les (1995)|01-Jan-1995||http://us.imdb.com/x|${flags([4, 8])}\n`, 'latin1'),
      Buffer.from(`267|unknown||||${flags([0])}\n`, 'latin1'),
    ]),
  });

  it('is detected', () => expect(detectLayout(directory)).toBe('ml-100k'));

  it('reads ratings in file order', async () => {
    const { ratings } = await readMovieLens(directory);
    expect(ratings).toEqual({
      userId: [196, 186, 22],
      movieId: [242, 302, 377],
      stars: [3, 3, 1],
      timestamp: [881250949, 891717742, 878887116],
    });
  });

  it('reads titles as latin1, genre flags in the README order, and release dates', async () => {
    const { movies } = await readMovieLens(directory);
    expect(movies.get(242)).toEqual({
      movieId: 242,
      rawTitle: 'Kolya (1996)',
      genres: ['Comedy'],
      imdbId: null,
      releaseDate: '1997-01-24',
    });
    expect(movies.get(302)?.genres).toEqual(['Crime', 'Film-Noir', 'Mystery', 'Thriller']);
    expect(movies.get(377)).toMatchObject({ rawTitle: 'Misérables, Les (1995)', genres: ["Children's", 'Drama'] });
    expect(movies.get(267)).toMatchObject({ rawTitle: 'unknown', genres: ['unknown'], releaseDate: null });
  });

  it.each([
    ['01-Jan-1995', '1995-01-01'],
    ['24-Dec-1997', '1997-12-24'],
    ['', null],
    ['1995', null],
  ])('parse100kDate(%j) = %j', (text, expected) => expect(parse100kDate(text)).toBe(expected));
});

describe('layout errors', () => {
  it('a missing folder', () => expect(() => detectLayout(path.join(root, 'nope'))).toThrow(DatasetLayoutError));
  it('a file instead of a folder', () => {
    writeFileSync(path.join(root, 'file.csv'), '');
    expect(() => detectLayout(path.join(root, 'file.csv'))).toThrow(/not a folder/);
  });
  it('a folder with neither layout (ml-1m uses ratings.dat)', () => {
    const directory = folder('1m', { 'ratings.dat': '1::1193::5::978300760\n', 'movies.dat': '' });
    expect(() => detectLayout(directory)).toThrow(/unknown MovieLens layout/);
  });
});
