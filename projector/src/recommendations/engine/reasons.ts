import { TMDB_GENRES, type RecommendationReason } from '@reeltime/schemas';
import type { Collaborative, ScoringContext } from './scoring.ts';
import type { Taste } from './tastes.ts';

/** What each signal added to one title's score. */
export type Contributions = { title: number; score: number; cf: number; genre: number; person: number; popular: number; trend: number };

/** A signal must add this much before it is worth saying. */
const NOTEWORTHY = 0.02;

/** What one re-score's reasons share: genre texts depend on the title's genres and the user alone. */
export type ReasonCache = Map<number, RecommendationReason | null>;

type Weighted = { weight: number; reason: RecommendationReason };
const byWeight = (a: Weighted, b: Weighted) => b.weight - a.weight;
const TRENDING: RecommendationReason = { kind: 'trending', text: 'Trending this week' };
const POPULAR: RecommendationReason = { kind: 'popular', text: 'Popular on Reeltime' };

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
): RecommendationReason[] {
  const { catalog } = context;
  const title = catalog.at(parts.title);
  const personal: Weighted[] = [];
  if (parts.cf >= NOTEWORTHY) {
    const because = collaborative === undefined ? undefined : strongestSource(context, collaborative, parts.title);
    if (because !== undefined) {
      const source = catalog.at(because);
      const interaction = taste.interactions.get(because)!;
      const text =
        interaction.score !== null
          ? `Because you rated ${source.name} ${interaction.score}/10`
          : interaction.watches > 0
            ? `Because you watched ${source.name}`
            : `Because you added ${source.name} to a list`;
      personal.push({ weight: parts.cf, reason: { kind: 'similar', text, titleId: source.titleId } });
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
  if (trending && popular) reasons.push(...(parts.popular > parts.trend ? [POPULAR, TRENDING] : [TRENDING, POPULAR]));
  else if (trending) reasons.push(TRENDING);
  else if (popular) reasons.push(POPULAR);
  return reasons.length > 0 ? reasons.slice(0, 3) : [POPULAR];
}

/** "You like Comedy" for genres the user said they like, else "You often watch Drama and Crime". */
function genreReason(taste: Taste, genreIds: readonly number[]): RecommendationReason | null {
  const stated = genreIds.filter((id) => taste.likedGenres.has(id));
  const names = (stated.length > 0 ? stated : genreIds).map(genreName).filter((name) => name !== undefined);
  if (names.length === 0) return null;
  return {
    kind: 'genre',
    text: stated.length > 0 ? `You like ${names.slice(0, 2).join(' and ')}` : `You often watch ${names.slice(0, 2).join(' and ')}`,
  };
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
