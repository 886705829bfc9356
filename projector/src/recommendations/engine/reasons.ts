import { TMDB_GENRES, type RecommendationReason } from '@reeltime/schemas';
import type { Collaborative, ScoringContext } from './scoring.ts';
import type { Taste } from './tastes.ts';

/** What each signal added to one title's score. */
export type Contributions = { title: number; score: number; cf: number; genre: number; person: number; popular: number; trend: number };

/** A signal must add this much before it is worth saying. */
const NOTEWORTHY = 0.02;

/**
 * One to three reasons, each saying which signal lifted the title and, for the collaborative
 * one, which title of the user's history did most of it: personal ones first, strongest first.
 */
export function reasonsFor(context: ScoringContext, taste: Taste, parts: Contributions, collaborative: Collaborative | undefined): RecommendationReason[] {
  const { catalog } = context;
  const title = catalog.at(parts.title);
  const weighted: { weight: number; reason: RecommendationReason }[] = [];
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
      weighted.push({ weight: parts.cf, reason: { kind: 'similar', text, titleId: source.titleId } });
    }
  }
  if (parts.genre >= NOTEWORTHY) {
    const stated = title.genreIds.filter((id) => taste.likedGenres.has(id));
    const names = (stated.length > 0 ? stated : title.genreIds).map(genreName).filter((name) => name !== undefined);
    if (names.length > 0) {
      const text = stated.length > 0 ? `You like ${names.slice(0, 2).join(' and ')}` : `You often watch ${names.slice(0, 2).join(' and ')}`;
      weighted.push({ weight: parts.genre, reason: { kind: 'genre', text } });
    }
  }
  if (parts.person > 0) {
    const person = title.people.find((id) => taste.likedPeople.has(id));
    const name = person === undefined ? undefined : catalog.personName(person);
    if (name !== undefined) weighted.push({ weight: parts.person, reason: { kind: 'person', text: `You like ${name}` } });
  }
  // What is about you comes before what is about everyone, whatever the weights.
  const personal = weighted.length;
  if (parts.trend >= NOTEWORTHY) weighted.push({ weight: parts.trend, reason: { kind: 'trending', text: 'Trending this week' } });
  if (parts.popular >= NOTEWORTHY) weighted.push({ weight: parts.popular, reason: { kind: 'popular', text: 'Popular on Reeltime' } });
  const byWeight = (a: { weight: number }, b: { weight: number }) => b.weight - a.weight;
  weighted.splice(0, weighted.length, ...weighted.slice(0, personal).sort(byWeight), ...weighted.slice(personal).sort(byWeight));
  const reasons = weighted.slice(0, 3).map((entry) => entry.reason);
  return reasons.length > 0 ? reasons : [{ kind: 'popular', text: 'Popular on Reeltime' }];
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
