import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, type Options } from 'csv-parse';

/*
 * Readers for the two MovieLens layouts the evaluation accepts:
 * - ml-latest / ml-latest-small / ml-25m / ml-32m: `ratings.csv` (userId,movieId,rating,timestamp),
 *   `movies.csv` (movieId,title,genres with `|` between genres; titles quoted when they hold a
 *   comma), optional `links.csv` (movieId,imdbId,tmdbId). GroupLens ships them with CRLF.
 * - ml-100k: `u.data` (tab-separated user, item, rating, timestamp) and `u.item` (`|`-separated,
 *   latin1: id, title, release date, video release date, IMDb URL, then 19 genre flags).
 * Rows are kept in file order: the split's shuffle permutes row indices, so order is part of
 * the protocol.
 */

export type MovieLensLayout = 'ml-latest' | 'ml-100k';

/** A missing folder or one holding neither layout: the CLI exits 2 on it. */
export class DatasetLayoutError extends Error {
  override readonly name = 'DatasetLayoutError';
}

/** One column per field, row i of each being rating i of the file (no per-row objects: ml-32m has 32M rows). */
export type Ratings = {
  readonly userId: number[];
  readonly movieId: number[];
  /** 0.5..5 in half stars. */
  readonly stars: number[];
  /** Unix seconds. */
  readonly timestamp: number[];
};

export type Movie = {
  movieId: number;
  /** As MovieLens writes it, year included: `American President, The (1995)`. */
  rawTitle: string;
  /** MovieLens genre names (`Sci-Fi`, `Children`, `Children's`, ...). */
  genres: string[];
  /** `tt0114709`, or null when unknown. */
  imdbId: string | null;
  /** `YYYY-MM-DD` when the dataset says (ml-100k), else null. */
  releaseDate: string | null;
};

export type MovieLensDataset = {
  layout: MovieLensLayout;
  directory: string;
  ratings: Ratings;
  movies: Map<number, Movie>;
};

/** ml-100k's genre flag columns, in file order (README of ml-100k). */
export const ML100K_GENRES = [
  'unknown',
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
] as const;

const LATEST_FILES = ['ratings.csv', 'movies.csv'];
const ML100K_FILES = ['u.data', 'u.item'];

export function detectLayout(directory: string): MovieLensLayout {
  if (!existsSync(directory)) throw new DatasetLayoutError(`data folder not found: ${directory}`);
  if (!statSync(directory).isDirectory()) throw new DatasetLayoutError(`not a folder: ${directory}`);
  const has = (files: string[]) => files.every((file) => existsSync(path.join(directory, file)));
  if (has(LATEST_FILES)) return 'ml-latest';
  if (has(ML100K_FILES)) return 'ml-100k';
  throw new DatasetLayoutError(
    `unknown MovieLens layout in ${directory}: expected ${LATEST_FILES.join(' + ')} (ml-latest, ml-latest-small, ml-25m, ml-32m) ` +
      `or ${ML100K_FILES.join(' + ')} (ml-100k)`,
  );
}

export async function readMovieLens(directory: string): Promise<MovieLensDataset> {
  const layout = detectLayout(directory);
  return layout === 'ml-latest'
    ? { layout, directory, ratings: await readLatestRatings(directory), movies: await readLatestMovies(directory) }
    : { layout, directory, ratings: await read100kRatings(directory), movies: await read100kMovies(directory) };
}

/**
 * Calls `onRecord` for every record of a delimited file, as arrays of fields. Event-driven
 * rather than `for await`: per-record promises cost half as much again as the parsing itself
 * on a 32M-row file. csv-parse takes CRLF or LF as it finds them (record_delimiter is
 * auto-detected), and drops a UTF-8 BOM.
 */
function eachRecord(
  file: string,
  options: Options,
  onRecord: (fields: string[], line: number) => void,
  encoding: BufferEncoding = 'utf8',
): Promise<void> {
  return new Promise((resolve, reject) => {
    let line = 0;
    const parser = parse({ skip_empty_lines: true, bom: true, ...options });
    parser.on('data', (fields: string[]) => {
      line++;
      try {
        onRecord(fields, line);
      } catch (error) {
        parser.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
    parser.on('error', reject);
    parser.on('end', resolve);
    const input = createReadStream(file, { encoding });
    input.on('error', reject);
    input.pipe(parser);
  });
}

/**
 * Reads a CSV file with a header row, handing each record's fields in the order of `wanted`
 * (whatever order the file has them in).
 */
function eachCsvRow(file: string, wanted: readonly string[], onRow: (fields: string[], line: number) => void): Promise<void> {
  let indexes: number[] | undefined;
  return eachRecord(file, {}, (fields, line) => {
    if (indexes === undefined) {
      const header = fields.map((name) => name.trim());
      const missing = wanted.filter((name) => !header.includes(name));
      if (missing.length > 0) throw new Error(`${file}: missing column(s) ${missing.join(', ')} (header: ${header.join(',')})`);
      indexes = wanted.map((name) => header.indexOf(name));
      return;
    }
    onRow(
      indexes.map((index) => fields[index] ?? ''),
      line,
    );
  });
}

function emptyRatings(): Ratings {
  return { userId: [], movieId: [], stars: [], timestamp: [] };
}

function pushRating(
  ratings: Ratings,
  file: string,
  line: number,
  fields: { user: string; movie: string; rating: string; timestamp: string },
): void {
  const userId = Number(fields.user);
  const movieId = Number(fields.movie);
  const stars = Number(fields.rating);
  const timestamp = Number(fields.timestamp);
  const problem =
    !Number.isSafeInteger(userId) || userId < 0
      ? `user id ${JSON.stringify(fields.user)}`
      : !Number.isSafeInteger(movieId) || movieId < 1
        ? `movie id ${JSON.stringify(fields.movie)}`
        : !(stars >= 0.5 && stars <= 5 && Number.isInteger(stars * 2))
          ? `rating ${JSON.stringify(fields.rating)} (0.5..5 in half stars)`
          : !Number.isSafeInteger(timestamp) || timestamp < 0
            ? `timestamp ${JSON.stringify(fields.timestamp)}`
            : null;
  if (problem !== null) throw new Error(`${file}:${line}: bad ${problem}`);
  ratings.userId.push(userId);
  ratings.movieId.push(movieId);
  ratings.stars.push(stars);
  ratings.timestamp.push(timestamp);
}

async function readLatestRatings(directory: string): Promise<Ratings> {
  const file = path.join(directory, 'ratings.csv');
  const ratings = emptyRatings();
  await eachCsvRow(file, ['userId', 'movieId', 'rating', 'timestamp'], ([user, movie, rating, timestamp], line) =>
    pushRating(ratings, file, line, { user: user!, movie: movie!, rating: rating!, timestamp: timestamp! }),
  );
  return ratings;
}

async function readLatestMovies(directory: string): Promise<Map<number, Movie>> {
  const imdbIds = new Map<number, string>();
  const linksFile = path.join(directory, 'links.csv');
  if (existsSync(linksFile)) {
    await eachCsvRow(linksFile, ['movieId', 'imdbId'], ([movieId, imdbId]) => {
      // MovieLens keeps IMDb's leading zeros (`0114709`); Reeltime stores the `tt` form.
      if (/^[0-9]{5,10}$/.test(imdbId!)) imdbIds.set(Number(movieId), `tt${imdbId}`);
    });
  }
  const file = path.join(directory, 'movies.csv');
  const movies = new Map<number, Movie>();
  await eachCsvRow(file, ['movieId', 'title', 'genres'], ([id, title, genres], line) => {
    const movieId = Number(id);
    if (!Number.isSafeInteger(movieId) || movieId < 1) throw new Error(`${file}:${line}: bad movie id ${JSON.stringify(id)}`);
    movies.set(movieId, {
      movieId,
      rawTitle: title!.trim(),
      genres: genres!.split('|').filter((genre) => genre !== ''),
      imdbId: imdbIds.get(movieId) ?? null,
      releaseDate: null,
    });
  });
  return movies;
}

async function read100kRatings(directory: string): Promise<Ratings> {
  const file = path.join(directory, 'u.data');
  const ratings = emptyRatings();
  await eachRecord(file, { delimiter: '\t', quote: false }, (fields, line) => {
    const [user, movie, rating, timestamp] = fields;
    if (timestamp === undefined) throw new Error(`${file}:${line}: expected 4 tab-separated fields, got ${fields.length}`);
    pushRating(ratings, file, line, { user: user!, movie: movie!, rating: rating!, timestamp });
  });
  return ratings;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ml-100k's `01-Jan-1995` → `1995-01-01`; null when absent or unreadable. */
export function parse100kDate(text: string): string | null {
  const match = /^(\d{2})-([A-Z][a-z]{2})-(\d{4})$/.exec(text.trim());
  const month = match ? MONTHS.indexOf(match[2]!) : -1;
  if (!match || month < 0) return null;
  return `${match[3]}-${String(month + 1).padStart(2, '0')}-${match[1]}`;
}

async function read100kMovies(directory: string): Promise<Map<number, Movie>> {
  const file = path.join(directory, 'u.item');
  const movies = new Map<number, Movie>();
  // latin1: ml-100k predates UTF-8 in MovieLens (`Misérables` is one byte there). No quoting:
  // a title may hold a `"` that is not a CSV quote.
  const options: Options = { delimiter: '|', quote: false, relax_column_count: true };
  await eachRecord(
    file,
    options,
    (fields, line) => {
      if (fields.length < 5 + ML100K_GENRES.length)
        throw new Error(`${file}:${line}: expected ${5 + ML100K_GENRES.length} fields, got ${fields.length}`);
      const movieId = Number(fields[0]);
      if (!Number.isSafeInteger(movieId) || movieId < 1) throw new Error(`${file}:${line}: bad movie id ${JSON.stringify(fields[0])}`);
      const flags = fields.slice(5, 5 + ML100K_GENRES.length);
      movies.set(movieId, {
        movieId,
        rawTitle: fields[1]!.trim(),
        genres: ML100K_GENRES.filter((_, index) => flags[index] === '1'),
        imdbId: null,
        releaseDate: parse100kDate(fields[2]!),
      });
    },
    'latin1',
  );
  return movies;
}
