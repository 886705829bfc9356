import { TMDB_GENRES, type RecommendationReason } from '@reeltime/schemas';
import type { Collaborative, ScoringContext } from './scoring.ts';
import type { Taste } from './tastes.ts';

/** What each signal added to one title's score. */
export type Contributions = { title: number; score: number; cf: number; genre: number; person: number; popular: number; trend: number };

/** A signal must add this much before it is worth saying. */
const NOTEWORTHY = 0.02;

/**
 * A reason as the projection stores it: its kind and the ids and numbers its text needs, not
 * the text (a list of 70 titles with up to three reasons each is mostly text otherwise). The
 * text is filled in when read (`describeReason` here, `reasonSql` for the read views), from
 * REASON_TEXTS. A person's reason keeps its whole text (rare, and its name is not a title's).
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
/** Reasons per title, at most. */
export const MAX_REASONS = 3;

/** What one re-score's reasons share: genre reasons depend on the title's genres and the user alone. */
export type ReasonCache = Map<number, ReasonCode | null>;

type Weighted = { weight: number; reason: ReasonCode };
const byWeight = (a: Weighted, b: Weighted) => b.weight - a.weight;

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

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

/**
 * One to three reasons, each saying which signal lifted the title and, for the collaborative
 * one, which title of the user's history did most of it: personal ones first, strongest first.
 * `genreReasons` is a cache shared by the calls of one re-score (it runs for every title kept).
 */
export function reasonsFor(
  context: ScoringContext,
  taste: Taste,
  parts: Contributions,
  collaborative: Collaborative | undefined,
  genreReasons: ReasonCache = new Map(),
): ReasonCode[] {
  const { catalog } = context;
  const title = catalog.at(parts.title);
  const personal: Weighted[] = [];
  if (parts.cf >= NOTEWORTHY) {
    const because = collaborative === undefined ? undefined : strongestSource(context, collaborative, parts.title);
    if (because !== undefined) {
      const source = catalog.at(because).titleId;
      const interaction = taste.interactions.get(because)!;
      const reason: ReasonCode =
        interaction.score !== null ? ['r', source, interaction.score] : interaction.watches > 0 ? ['w', source] : ['l', source];
      personal.push({ weight: parts.cf, reason });
    }
  }
  if (parts.genre >= NOTEWORTHY) {
    let reason = genreReasons.get(title.genreMask);
    if (reason === undefined) {
      reason = genreReason(taste, title.genreIds);
      genreReasons.set(title.genreMask, reason);
    }
    if (reason !== null) personal.push({ weight: parts.genre, reason });
  }
  if (parts.person > 0) {
    const person = title.people.find((id) => taste.likedPeople.has(id));
    const name = person === undefined ? undefined : catalog.personName(person);
    if (name !== undefined) personal.push({ weight: parts.person, reason: { kind: 'person', text: `You like ${name}` } });
  }
  // What is about you comes before what is about everyone, whatever the weights.
  if (personal.length > 1) personal.sort(byWeight);
  const reasons = personal.map((entry) => entry.reason);
  const trending = parts.trend >= NOTEWORTHY;
  const popular = parts.popular >= NOTEWORTHY;
  if (trending && popular) reasons.push(...(parts.popular > parts.trend ? (['p', 't'] as const) : (['t', 'p'] as const)));
  else if (trending) reasons.push('t');
  else if (popular) reasons.push('p');
  return reasons.length > 0 ? reasons.slice(0, MAX_REASONS) : ['p'];
}

/** "You like Comedy" for genres the user said they like, else "You often watch Drama and Crime" (the first two named). */
function genreReason(taste: Taste, genreIds: readonly number[]): ReasonCode | null {
  const stated = genreIds.filter((id) => taste.likedGenres.has(id));
  const named = (stated.length > 0 ? stated : genreIds).filter((id) => genreName(id) !== undefined).slice(0, GENRES_PER_REASON);
  if (named.length === 0) return null;
  return ['g', stated.length > 0 ? 1 : 0, ...named];
}

/** The title of the user's history whose item weight toward `target` is largest. */
function strongestSource(context: ScoringContext, history: Collaborative, target: number): number | undefined {
  const model = context.model;
  if (model === undefined) return undefined;
  const column = model.rowOf[target] ?? -1;
  if (column < 0) return undefined;
  let best: number | undefined;
  let bestWeight = 0;
  for (let h = 0; h < history.rows.length; h++) {
    const weight = history.weights[h]! * model.weights[history.rows[h]! * model.size + column]!;
    if (weight > bestWeight) {
      bestWeight = weight;
      best = history.titles[h]!;
    }
  }
  return best;
}

const GENRE_NAMES = new Map<number, string>(TMDB_GENRES.map((genre) => [genre.id, genre.name]));
const genreName = (id: number): string | undefined => GENRE_NAMES.get(id);
/** Genre id → name, for the read views' SQL. */
export const GENRE_NAME_LIST: readonly (readonly [number, string])[] = [...GENRE_NAMES];
