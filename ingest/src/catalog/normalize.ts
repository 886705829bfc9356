import {
  GENRE_IDS,
  TitleImportedData,
  type CastMember,
  type Director,
  type GenreId,
  type Keyword,
  type WatchProvider,
  type WatchProviders,
} from '@reeltime/schemas';
import { Compile } from 'typebox/compile';
import type { TmdbMovieDetails, TmdbRegionProviders, TmdbTvDetails } from '../tmdb/schemas.ts';

/*
 * TMDb details → the catalog record our events carry. Pure. TMDb is lenient where our events
 * are strict, so values our schema cannot hold are dropped or cleared here (documented per
 * field) rather than failing the title; only what is left wrong afterwards fails it.
 */

export const TOP_CAST = 15;
const NAME_MAX = 300;
const CHARACTER_MAX = 500;
const OVERVIEW_MAX = 10_000;
const KEYWORDS_MAX = 500;
const DIRECTORS_MAX = 50;
const PROVIDERS_MAX = 200;

/** The normalized record failed the event schema: a title ingest cannot represent. */
export class NormalizationError extends Error {
  override readonly name = 'NormalizationError';
}

const isTitle = Compile(TitleImportedData);
const knownGenres = new Set<number>(GENRE_IDS);
const IMAGE_PATH = /^\/[^\s/?#]+$/;
const IMDB_ID = /^tt[0-9]{5,10}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const clip = (text: string, max: number) => ([...text].length > max ? [...text].slice(0, max).join('') : text);
const name = (text: string | null | undefined): string | undefined => {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? undefined : clip(trimmed, NAME_MAX);
};
const imagePath = (path: string | null | undefined) => (path && IMAGE_PATH.test(path) && path.length <= 300 ? path : null);
const imdbId = (...candidates: (string | null | undefined)[]) => candidates.find((id) => id && IMDB_ID.test(id)) ?? null;

/** "" (unannounced) and impossible dates become null; the year follows the date. */
function releaseDate(value: string | null | undefined): { releaseDate: string | null; year: number | null } {
  const match = value ? DATE.exec(value) : null;
  if (!match) return { releaseDate: null, year: null };
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return { releaseDate: null, year: null };
  const year = Number(match[1]);
  return { releaseDate: value!, year: year >= 1870 && year <= 2200 ? year : null };
}

function genreIds(genres: readonly { id: number }[]): GenreId[] {
  return [...new Set(genres.map((g) => g.id).filter((id) => knownGenres.has(id)))] as GenreId[];
}

function keywords(list: readonly { id: number; name: string }[]): Keyword[] {
  const seen = new Set<number>();
  const result: Keyword[] = [];
  for (const keyword of list) {
    const text = name(keyword.name);
    if (text === undefined || seen.has(keyword.id)) continue;
    seen.add(keyword.id);
    result.push({ id: keyword.id, name: text });
  }
  return result.slice(0, KEYWORDS_MAX);
}

function topCast(members: readonly { id: number; name: string; character: string; order: number }[]): CastMember[] {
  return members
    .map((m) => ({ personId: m.id, name: name(m.name), character: clip(m.character.trim(), CHARACTER_MAX), order: m.order }))
    .filter((m): m is CastMember => m.name !== undefined)
    .sort((a, b) => a.order - b.order || a.personId - b.personId)
    .slice(0, TOP_CAST);
}

function people(list: readonly { id: number; name: string }[]): Director[] {
  const seen = new Set<number>();
  const result: Director[] = [];
  for (const person of list) {
    const text = name(person.name);
    if (text === undefined || seen.has(person.id)) continue;
    seen.add(person.id);
    result.push({ personId: person.id, name: text });
  }
  return result.slice(0, DIRECTORS_MAX);
}

function providers(list: TmdbRegionProviders['flatrate']): WatchProvider[] | undefined {
  const seen = new Set<number>();
  const result: WatchProvider[] = [];
  for (const provider of list ?? []) {
    const providerName = name(provider.provider_name);
    if (providerName === undefined || seen.has(provider.provider_id)) continue;
    seen.add(provider.provider_id);
    result.push({ providerId: provider.provider_id, name: providerName, logoPath: imagePath(provider.logo_path) });
  }
  return result.length > 0 ? result.slice(0, PROVIDERS_MAX) : undefined;
}

function isUri(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol) && value.length <= 1000;
  } catch {
    return false;
  }
}

/** Regions keyed ISO 3166-1; a region offering nothing we record (only `ads`/`free`) is left out. */
function watchProviders(results: Record<string, TmdbRegionProviders> | undefined): WatchProviders {
  const byRegion: WatchProviders = {};
  for (const region of Object.keys(results ?? {}).sort()) {
    if (!/^[A-Z]{2}$/.test(region)) continue;
    const offer = results![region]!;
    const [flatrate, rent, buy] = [providers(offer.flatrate), providers(offer.rent), providers(offer.buy)];
    if (!flatrate && !rent && !buy) continue;
    byRegion[region] = {
      ...(offer.link && isUri(offer.link) ? { link: offer.link } : {}),
      ...(flatrate ? { flatrate } : {}),
      ...(rent ? { rent } : {}),
      ...(buy ? { buy } : {}),
    };
  }
  return byRegion;
}

function language(code: string): string {
  // TMDb's own "no language" code, for the odd value our schema cannot hold.
  return /^[a-z]{2}$/.test(code) ? code : 'xx';
}

function checked(title: TitleImportedData): TitleImportedData {
  // Check() narrows to never on failure; the value is still the record we built.
  if (isTitle.Check(title)) return title;
  const titleId: string = (title as TitleImportedData).titleId;
  const issues = [...isTitle.Errors(title)]
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ');
  throw new NormalizationError(`${titleId}: ${issues}`);
}

const metrics = (details: TmdbMovieDetails | TmdbTvDetails) => ({
  popularity: details.popularity,
  voteAverage: details.vote_average,
  voteCount: details.vote_count,
});

export function normalizeMovie(details: TmdbMovieDetails): TitleImportedData {
  const title = name(details.title);
  const { releaseDate: date, year } = releaseDate(details.release_date);
  return checked({
    titleId: `movie:${details.id}`,
    mediaType: 'movie',
    tmdbId: details.id,
    imdbId: imdbId(details.external_ids?.imdb_id, details.imdb_id),
    title: title ?? '',
    originalTitle: name(details.original_title) ?? title ?? '',
    overview: clip(details.overview ?? '', OVERVIEW_MAX),
    releaseDate: date,
    year,
    // TMDb writes 0 for "not known yet"; no released feature is 0 minutes long.
    runtimeMinutes: details.runtime ? details.runtime : null,
    originalLanguage: language(details.original_language),
    genreIds: genreIds(details.genres),
    keywords: keywords(details.keywords.keywords),
    cast: topCast(details.credits.cast.map((c) => ({ ...c, character: c.character ?? '' }))),
    directors: people(details.credits.crew.filter((c) => c.job === 'Director')),
    posterPath: imagePath(details.poster_path),
    backdropPath: imagePath(details.backdrop_path),
    ...metrics(details),
    watchProviders: watchProviders(details['watch/providers']?.results),
  });
}

export function normalizeTv(details: TmdbTvDetails): TitleImportedData {
  const title = name(details.name);
  const { releaseDate: date, year } = releaseDate(details.first_air_date);
  const runtime = details.episode_run_time?.find((minutes) => minutes > 0) ?? details.last_episode_to_air?.runtime ?? null;
  const status = name(details.status)?.slice(0, 50);
  return checked({
    titleId: `tv:${details.id}`,
    mediaType: 'tv',
    tmdbId: details.id,
    imdbId: imdbId(details.external_ids?.imdb_id),
    title: title ?? '',
    originalTitle: name(details.original_name) ?? title ?? '',
    overview: clip(details.overview ?? '', OVERVIEW_MAX),
    releaseDate: date,
    year,
    runtimeMinutes: runtime ? runtime : null,
    originalLanguage: language(details.original_language),
    genreIds: genreIds(details.genres),
    keywords: keywords(details.keywords.results),
    // A series' character is the role with the most episodes (an actor may play several).
    cast: topCast(
      details.aggregate_credits.cast.map((c) => ({
        id: c.id,
        name: c.name,
        order: c.order,
        character: [...(c.roles ?? [])].sort((a, b) => (b.episode_count ?? 0) - (a.episode_count ?? 0))[0]?.character ?? '',
      })),
    ),
    directors: people(details.created_by ?? []),
    posterPath: imagePath(details.poster_path),
    backdropPath: imagePath(details.backdrop_path),
    ...metrics(details),
    watchProviders: watchProviders(details['watch/providers']?.results),
    ...(details.number_of_seasons != null ? { numberOfSeasons: details.number_of_seasons } : {}),
    ...(details.number_of_episodes != null ? { numberOfEpisodes: details.number_of_episodes } : {}),
    ...(status ? { status } : {}),
  });
}
