/* How a demo community member behaves: how much they watch, rate, review, list and log. */
import type { Random } from './random.ts';
import { drawTaste, type Taste } from './tastes.ts';

/** How one person behaves; drawn for community members, fixed for the demo account. */
export type Profile = {
  taste: Taste;
  registeredDaysAgo: number;
  /** Titles they have seen (rated, logged or both). */
  seen: number;
  /** Of those, rated in the first session, from memory. */
  spree: number;
  reviewRate: number;
  diaryRate: number;
  rateRate: number;
  preferences: boolean;
  publicLists: number;
  privateLists: number;
  /** List ideas to try first (by name). */
  listIdeas?: readonly string[];
  privateListNames?: readonly string[];
  watchlistExtra: number;
  /** This many of the latest watches fall in the last few days. */
  recentWatches: number;
  dislikes?: readonly number[];
};

export function drawProfile(random: Random): Profile {
  const taste = drawTaste(random);
  const heavy = random.chance(0.1);
  return {
    taste,
    registeredDaysAgo: 3 + 360 * (1 - random.next() ** 2),
    seen: Math.min(120, Math.max(6, Math.round(Math.exp(random.normal(heavy ? 4.0 : 3.1, 0.5))))),
    spree: random.int(3, 15),
    reviewRate: [0.03, 0.15, 0.4][random.weightedIndex([40, 40, 20])]!,
    diaryRate: random.chance(0.15) ? 0 : random.between(0.4, 0.95),
    rateRate: random.between(0.75, 1),
    preferences: random.chance(0.65),
    publicLists: random.weightedIndex([30, 36, 20, 9, 5]),
    privateLists: random.weightedIndex([60, 30, 10]),
    watchlistExtra: random.weightedIndex([15, 30, 30, 15, 10]) * 3,
    recentWatches: 0,
  };
}

export function demoProfile(random: Random): Profile {
  return {
    taste: { ...drawTaste(random, ['scifi', 'crime']), generosity: 0.2, spread: 0.9 },
    registeredDaysAgo: 150,
    seen: 48,
    spree: 12,
    reviewRate: 0.25,
    diaryRate: 0.9,
    rateRate: 0.95,
    preferences: true,
    publicLists: 2,
    privateLists: 1,
    listIdeas: ['Mind-benders', 'Essential sci-fi', 'Crime sprees'],
    privateListNames: ['Date night ideas'],
    watchlistExtra: 12,
    recentWatches: 4,
    dislikes: [27],
  };
}
