import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { EventStore } from '@reeltime/eventstore';
import { MOVIELENS_GENRES, type TitleImportedData } from '@reeltime/schemas';
import { parse } from 'csv-parse';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { recordTitle } from '../catalog/record-title.ts';

/*
 * MovieLens (`movies.csv` + `links.csv`) as a seed catalog: title, year, genres and ids only.
 * Rows without a TMDb id are skipped. Seeded titles never overwrite what a TMDb sync recorded;
 * a later TMDb sync fills in the rest.
 */

// MovieLens files titles library-style ("Matrix, The"); these are moved back to the front.
const ARTICLES = [
  'The',
  'A',
  'An',
  'Les',
  'La',
  'Le',
  "L'",
  'Il',
  'Der',
  'Die',
  'Das',
  'El',
  'Los',
  'Las',
  'Lo',
  'Det',
  'Den',
  'De',
  'Het',
  'Os',
  'As',
  'O',
];
const TRAILING_ARTICLE = new RegExp(`^(.*), (${ARTICLES.map((a) => a.replace("'", "\\'")).join('|')})$`);

function frontArticle(title: string): string {
  const match = TRAILING_ARTICLE.exec(title.trim());
  if (!match) return title.trim();
  const [, rest, article] = match;
  return article!.endsWith("'") ? `${article}${rest}` : `${article} ${rest}`;
}

/**
 * `City of Lost Children, The (Cité des enfants perdus, La) (1995)` →
 * title `The City of Lost Children`, original `La Cité des enfants perdus`, year 1995.
 * A parenthesised `a.k.a.` is another English title, not the original.
 */
export function parseMovieLensTitle(raw: string): { title: string; originalTitle: string; year: number | null } {
  let text = raw.trim();
  let year: number | null = null;
  const yearMatch = /\s*\((\d{4})(?:[–-]\d{4})?\)\s*$/.exec(text);
  if (yearMatch) {
    const value = Number(yearMatch[1]);
    year = value >= 1870 && value <= 2200 ? value : null;
    text = text.slice(0, yearMatch.index);
  }
  let original: string | undefined;
  const alternative = /^(.+?)\s+\(([^()]+)\)$/.exec(text);
  if (alternative && !/^a\.k\.a\./i.test(alternative[2]!)) {
    text = alternative[1]!;
    original = frontArticle(alternative[2]!);
  } else if (alternative) {
    text = alternative[1]!;
  }
  const title = frontArticle(text).slice(0, 300);
  return { title, originalTitle: (original || title).slice(0, 300), year };
}

export type MovieLensRow = { movieId: string; title: string; genres: string };
export type MovieLensLink = { imdbId: string; tmdbId: string };

/** One MovieLens movie as a catalog record; null when it has no usable TMDb id. */
export function movieLensTitle(row: MovieLensRow, link: MovieLensLink | undefined): TitleImportedData | null {
  const tmdbId = Number(link?.tmdbId);
  if (!link || !/^[1-9][0-9]*$/.test(link.tmdbId) || tmdbId > 2_147_483_647) return null;
  const { title, originalTitle, year } = parseMovieLensTitle(row.title);
  if (title === '') return null;
  const genres = row.genres.split('|').flatMap((name) => (MOVIELENS_GENRES[name] !== undefined ? [MOVIELENS_GENRES[name]] : []));
  return {
    titleId: `movie:${tmdbId}`,
    mediaType: 'movie',
    tmdbId,
    imdbId: /^[0-9]{5,10}$/.test(link.imdbId) ? `tt${link.imdbId}` : null,
    title,
    originalTitle,
    overview: '',
    releaseDate: null,
    year,
    runtimeMinutes: null,
    // MovieLens does not say; TMDb's code for "no language" until a TMDb sync records the real one.
    originalLanguage: 'xx',
    genreIds: [...new Set(genres)],
    keywords: [],
    cast: [],
    directors: [],
    posterPath: null,
    backdropPath: null,
    popularity: 0,
    voteAverage: 0,
    voteCount: 0,
    watchProviders: {},
  };
}

const csv = (file: string) => createReadStream(file).pipe(parse({ columns: true, skip_empty_lines: true, trim: true }));

export async function readLinks(directory: string): Promise<Map<string, MovieLensLink>> {
  const links = new Map<string, MovieLensLink>();
  for await (const row of csv(path.join(directory, 'links.csv')) as AsyncIterable<{ movieId: string } & MovieLensLink>) {
    links.set(row.movieId, { imdbId: row.imdbId, tmdbId: row.tmdbId });
  }
  return links;
}

/** Every movie of the folder that has a TMDb id, in file order. */
export async function* readMovieLens(directory: string): AsyncGenerator<TitleImportedData | null> {
  const links = await readLinks(directory);
  for await (const row of csv(path.join(directory, 'movies.csv')) as AsyncIterable<MovieLensRow>) {
    yield movieLensTitle(row, links.get(row.movieId));
  }
}

export type MovieLensSummary = { runId: string; imported: number; unchanged: number; skipped: number };

export async function importMovieLens(options: {
  directory: string;
  store: EventStore;
  log: Logger;
  concurrency?: number;
  /** Stop after this many rows (tests). */
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (summary: MovieLensSummary) => void;
}): Promise<MovieLensSummary> {
  const runId = randomUUID();
  const log = options.log.child({ correlationId: runId, source: 'movielens' });
  const summary: MovieLensSummary = { runId, imported: 0, unchanged: 0, skipped: 0 };
  const limit = pLimit(options.concurrency ?? 16);
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let rows = 0;
  log.info({ directory: options.directory }, 'importing MovieLens');
  for await (const title of readMovieLens(options.directory)) {
    if (failure !== undefined || options.signal?.aborted || (options.limit !== undefined && rows >= options.limit)) break;
    rows++;
    if (title === null) {
      summary.skipped++;
      continue;
    }
    const task = limit(async () => {
      const outcome = await recordTitle(options.store, { type: 'SeedTitle', title }, { correlationId: runId, causationId: runId });
      summary[outcome === 'imported' ? 'imported' : 'unchanged']++;
      options.onProgress?.(summary);
    })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    // Reading runs ahead of appending only this far, so a large file is never all in memory.
    if (inFlight.size >= 256) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  log.info(summary, 'MovieLens import finished');
  return summary;
}
