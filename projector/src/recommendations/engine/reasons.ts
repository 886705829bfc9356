import { GENRES_PER_REASON, TMDB_GENRES, genreName, type ReasonCode } from '@reeltime/schemas';
import type { Collaborative, ScoringContext } from './scoring.ts';
import type { Taste } from './tastes.ts';

/** What each signal added to one title's score. */
export type Contributions = { title: number; score: number; cf: number; genre: number; person: number; popular: number; trend: number };

/** A signal must add this much before it is worth saying. */
const NOTEWORTHY = 0.02;

/** Reasons per title, at most. */
export const MAX_REASONS = 3;

/** What one re-score's reasons share: genre reasons depend on the title's genres and the user alone. */
export type ReasonCache = Map<number, ReasonCode | null>;

type Weighted = { weight: number; reason: ReasonCode };
const byWeight = (a: Weighted, b: Weighted) => b.weight - a.weight;

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

/** Genre id → name, for the read views' SQL. */
export const GENRE_NAME_LIST: readonly (readonly [number, string])[] = TMDB_GENRES.map((genre) => [genre.id, genre.name] as const);
