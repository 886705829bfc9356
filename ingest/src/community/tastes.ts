import type { CommunityTitle } from './catalog.ts';
import type { Random } from './random.ts';

/*
 * Tastes. Every person mixes one or two archetypes (the way audiences cluster: blockbuster
 * fans, crime buffs, the arthouse crowd...) plus personal noise, so people who share an
 * archetype rate alike. That gives recommendations and "people who liked this" real signal.
 */

type Archetype = {
  name: string;
  /** Genre id → how much they like it (about -1.5 .. 1.8). */
  genres: Readonly<Record<number, number>>;
  /** Preferred release years (centre, spread); none = any era. */
  era?: { centre: number; spread: number };
  /** Share of series among what they watch (the catalog is about 20 % series). */
  tvShare: number;
  /** Liking for titles not in English, added to the affinity. */
  foreign: number;
  /** Extra liking per original language. */
  languages?: Readonly<Record<string, number>>;
};

// TMDb genre ids: 28 Action, 12 Adventure, 16 Animation, 35 Comedy, 80 Crime, 99 Documentary,
// 18 Drama, 10751 Family, 14 Fantasy, 36 History, 27 Horror, 10402 Music, 9648 Mystery,
// 10749 Romance, 878 Science Fiction, 53 Thriller, 10752 War, 37 Western; series: 10759 Action &
// Adventure, 10765 Sci-Fi & Fantasy, 10768 War & Politics.
export const ARCHETYPES: readonly Archetype[] = [
  {
    name: 'blockbuster',
    genres: { 28: 1.3, 12: 1.2, 878: 0.8, 14: 0.7, 10759: 1.0, 10765: 0.6, 99: -0.8, 10749: -0.4, 36: -0.4 },
    era: { centre: 2008, spread: 12 },
    tvShare: 0.15,
    foreign: -0.5,
  },
  {
    name: 'arthouse',
    genres: { 18: 1.1, 10749: 0.4, 36: 0.6, 10402: 0.4, 28: -0.6, 10751: -0.6, 10759: -0.5 },
    tvShare: 0.08,
    foreign: 0.9,
  },
  {
    name: 'horror',
    genres: { 27: 1.8, 53: 1.0, 9648: 0.8, 10751: -0.9, 10749: -0.5, 16: -0.3 },
    era: { centre: 2000, spread: 22 },
    tvShare: 0.15,
    foreign: 0.1,
  },
  {
    name: 'family',
    genres: { 16: 1.3, 10751: 1.4, 35: 0.8, 14: 0.6, 12: 0.6, 27: -1.5, 53: -0.5, 80: -0.5, 10752: -0.6 },
    tvShare: 0.15,
    foreign: 0,
    languages: { ja: 0.4 },
  },
  { name: 'crime', genres: { 80: 1.5, 53: 1.0, 9648: 0.8, 18: 0.5, 16: -0.4, 10751: -0.7, 14: -0.3 }, tvShare: 0.3, foreign: 0.1 },
  { name: 'romance', genres: { 10749: 1.4, 35: 1.0, 18: 0.5, 10402: 0.8, 27: -1.2, 10752: -0.6, 878: -0.3 }, tvShare: 0.15, foreign: 0.2 },
  { name: 'scifi', genres: { 878: 1.6, 10765: 1.4, 14: 0.6, 16: 0.4, 9648: 0.5, 53: 0.3, 10749: -0.4 }, tvShare: 0.25, foreign: 0 },
  {
    name: 'classic',
    genres: { 18: 0.7, 37: 1.3, 10752: 1.0, 36: 0.8, 80: 0.5, 10402: 0.3, 10765: -0.4 },
    era: { centre: 1966, spread: 18 },
    tvShare: 0.05,
    foreign: 0.5,
  },
  { name: 'series', genres: { 18: 0.6, 80: 0.7, 10765: 0.8, 10759: 0.6, 10768: 0.8, 9648: 0.6, 35: 0.5 }, tvShare: 0.65, foreign: 0 },
  { name: 'documentary', genres: { 99: 1.9, 36: 1.0, 10752: 0.5, 10768: 0.6, 10402: 0.4, 14: -0.4 }, tvShare: 0.2, foreign: 0.3 },
  { name: 'anime', genres: { 16: 1.5, 14: 1.0, 10765: 0.8, 12: 0.4 }, tvShare: 0.3, foreign: 0.3, languages: { ja: 1.3 } },
  { name: 'comedy', genres: { 35: 1.6, 10751: 0.3, 80: 0.3, 10749: 0.3, 18: -0.2, 27: -0.6 }, tvShare: 0.25, foreign: -0.2 },
];

/** How often each archetype is someone's main taste (the catalog's mix: mostly mainstream). */
const ARCHETYPE_WEIGHTS: Readonly<Record<string, number>> = {
  blockbuster: 16,
  arthouse: 8,
  horror: 6,
  family: 8,
  crime: 12,
  romance: 7,
  scifi: 11,
  classic: 6,
  series: 10,
  documentary: 3,
  anime: 5,
  comedy: 8,
};

export type Taste = {
  archetypes: readonly string[];
  genres: ReadonlyMap<number, number>;
  era: { centre: number; spread: number } | null;
  tvShare: number;
  foreign: number;
  languages: ReadonlyMap<string, number>;
  /** Added to every score: some people are generous, some are harsh. */
  generosity: number;
  /** Spread of their scores around what they "feel". */
  spread: number;
};

const CATALOG_TV_SHARE = 0.2;

/** One or two archetypes (named, or drawn), mixed, with personal noise on every genre. */
export function drawTaste(random: Random, names?: readonly string[]): Taste {
  const chosen: Archetype[] = [];
  if (names) {
    for (const name of names) chosen.push(ARCHETYPES.find((a) => a.name === name) ?? ARCHETYPES[0]!);
  } else {
    const weights = ARCHETYPES.map((a) => ARCHETYPE_WEIGHTS[a.name] ?? 1);
    chosen.push(ARCHETYPES[random.weightedIndex(weights)]!);
    if (random.chance(0.55)) {
      const second = ARCHETYPES[random.weightedIndex(weights)]!;
      if (second !== chosen[0]) chosen.push(second);
    }
  }
  const mix = chosen.map((archetype, index) => ({ archetype, weight: index === 0 ? 1 : 0.55 }));
  const genres = new Map<number, number>();
  for (const { archetype, weight } of mix) {
    for (const [genre, value] of Object.entries(archetype.genres))
      genres.set(Number(genre), (genres.get(Number(genre)) ?? 0) + weight * value);
  }
  for (const genre of [28, 12, 16, 35, 80, 99, 18, 10751, 14, 36, 27, 10402, 9648, 10749, 878, 53, 10752, 37, 10759, 10765, 10768]) {
    genres.set(genre, (genres.get(genre) ?? 0) + random.normal(0, 0.3));
  }
  const languages = new Map<string, number>();
  for (const { archetype, weight } of mix) {
    for (const [language, value] of Object.entries(archetype.languages ?? {}))
      languages.set(language, (languages.get(language) ?? 0) + weight * value);
  }
  const main = chosen[0]!;
  const era = main.era && random.chance(0.8) ? { centre: main.era.centre + random.normal(0, 4), spread: main.era.spread } : null;
  const totalWeight = mix.reduce((sum, m) => sum + m.weight, 0);
  const tvShare = Math.min(
    0.85,
    Math.max(0.02, mix.reduce((sum, m) => sum + m.weight * m.archetype.tvShare, 0) / totalWeight + random.normal(0, 0.05)),
  );
  return {
    archetypes: chosen.map((a) => a.name),
    genres,
    era,
    tvShare,
    foreign: mix.reduce((sum, m) => sum + m.weight * m.archetype.foreign, 0) / totalWeight + random.normal(0, 0.25),
    languages,
    generosity: random.normal(0.1, 0.6),
    spread: random.between(0.8, 1.5),
  };
}

/** How much the person is drawn to the title, about -2 .. 3; 0 is indifference. */
export function affinity(taste: Taste, title: CommunityTitle): number {
  let genre = 0;
  for (const id of title.genreIds) genre += taste.genres.get(id) ?? 0;
  let value = title.genreIds.length === 0 ? 0 : genre / Math.sqrt(title.genreIds.length);
  if (taste.era && title.year !== null) {
    const distance = (title.year - taste.era.centre) / taste.era.spread;
    value += Math.max(-1.2, 0.4 - 0.35 * distance * distance);
  }
  if (title.language !== 'en') value += taste.foreign;
  value += taste.languages.get(title.language) ?? 0;
  return value;
}

/** Relative chance that the person watches the title: popular titles and titles to their taste. */
export function watchWeight(taste: Taste, title: CommunityTitle): number {
  const media = title.mediaType === 'tv' ? taste.tvShare / CATALOG_TV_SHARE : (1 - taste.tvShare) / (1 - CATALOG_TV_SHARE);
  return Math.pow(Math.max(1, title.popularity), 0.9) * Math.exp(1.2 * affinity(taste, title)) * media;
}

/** The 1..10 score the person gives: the title's quality, their affinity, their generosity, noise. */
export function scoreFor(random: Random, taste: Taste, title: CommunityTitle): number {
  // Now and then a title just does not work for someone, whatever its reputation.
  if (random.chance(0.01)) return random.int(1, 3);
  const quality = 5.6 + (title.voteAverage - 7.6) * 1.5;
  const raw = quality + 0.85 * affinity(taste, title) + taste.generosity + random.normal(0, taste.spread);
  return Math.min(10, Math.max(1, Math.round(raw)));
}
