import { TMDB_GENRES } from './genres.ts';
import type { RecommendationReason } from './http/queries.ts';

/**
 * A recommendation's reason as the recommendations projection stores it: its kind and the ids
 * and numbers its text needs, not the text (a list of 70 titles with up to three reasons each
 * is mostly text otherwise). The text is filled in when read, from REASON_TEXTS: by
 * `describeReason` (query-api's pages, the projector's own answers) and by the read view's SQL
 * rendering (for reading by hand; a test holds the two to the same texts). A person's reason
 * keeps its whole text (rare, and its name is not a title's).
 */
export type ReasonCode =
  | readonly ['r', titleId: string, score: number]
  | readonly ['w', titleId: string]
  | readonly ['l', titleId: string]
  | readonly ['g', stated: 0 | 1, ...genreIds: number[]]
  | 't'
  | 'p'
  | RecommendationReason;

/** Every reason's text, `{title}`, `{score}` and `{genres}` filled in when read: the one place they are written. */
export const REASON_TEXTS = {
  r: 'Because you rated {title} {score}/10',
  w: 'Because you watched {title}',
  l: 'Because you added {title} to a list',
  g1: 'You like {genres}',
  g0: 'You often watch {genres}',
  t: 'Trending this week',
  p: 'Popular on Reeltime',
} as const;

/** Genre names in a genre reason: at most GENRES_PER_REASON, joined by GENRES_JOINED_BY. */
export const GENRES_PER_REASON = 2;
export const GENRES_JOINED_BY = ' and ';

const GENRE_NAMES = new Map<number, string>(TMDB_GENRES.map((genre) => [genre.id, genre.name]));
/** A TMDb genre's name (undefined for an id TMDb does not list). */
export const genreName = (id: number): string | undefined => GENRE_NAMES.get(id);

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

/** The title ids a stored reason names (whose names `describeReason` asks for). */
export const reasonTitleId = (code: ReasonCode): string | undefined =>
  Array.isArray(code) && code[0] !== 'g' ? (code as readonly [string, string])[1] : undefined;

/** A stored reason as the API shows it; `titleName` names a title by id (its id when unknown). */
export function describeReason(code: ReasonCode, titleName: (titleId: string) => string): RecommendationReason {
  if (code === 't') return { kind: 'trending', text: REASON_TEXTS.t };
  if (code === 'p') return { kind: 'popular', text: REASON_TEXTS.p };
  if (!Array.isArray(code)) return code as RecommendationReason;
  const tuple = code as Exclude<ReasonCode, string | RecommendationReason>;
  if (tuple[0] === 'g') {
    const [, stated, ...genreIds] = tuple;
    const genres = genreIds.map(genreName).join(GENRES_JOINED_BY);
    return { kind: 'genre', text: fill(stated === 1 ? REASON_TEXTS.g1 : REASON_TEXTS.g0, { genres }) };
  }
  const [how, titleId] = tuple;
  const values = { title: titleName(titleId), score: tuple[0] === 'r' ? String(tuple[2]) : '' };
  return { kind: 'similar', text: fill(REASON_TEXTS[how], values), titleId };
}
