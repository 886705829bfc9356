import type { MediaType, RecommendationReason } from '@reeltime/schemas';
import { jaccard, type Catalog } from './catalog.ts';
import type { ItemModel } from './engine.ts';
import { interactionWeight, type Taste } from './tastes.ts';
import type { ReasonCode } from '@reeltime/schemas';
import { reasonsFor, type Contributions, type ReasonCache } from './reasons.ts';
import { DIVERSIFIED, diversify } from './diversity.ts';
import { TopScores } from './top-scores.ts';

export type ScoringOptions = {
  /** Weight of genre affinity (the user's genres, stated and from history) against the collaborative score (1). */
  genreWeight: number;
  /** Weight of a genre the user said they like (on top of what their history says). */
  statedGenreWeight: number;
  /** Weight of a liked person in the cast or directing. */
  peopleWeight: number;
  /** Weight of keyword affinity: the title's TMDb keywords against those of the user's history. */
  keywordWeight: number;
  /** Weight of a preferred original language. */
  languageWeight: number;
  /** Weight of all-time popularity here, for people with little history. */
  popularityWeight: number;
  /** Weight of recent popularity, for people with little history. */
  trendingWeight: number;
  /** History size at which the popularity prior has halved: it fades as the collaborative signal grows. */
  historyScale: number;
  /** MMR trade-off: 0 ranks by score alone, higher spreads the top across genres. */
  diversity: number;
};

/** A ranked title as the projection stores it: its reasons as codes, their texts filled in when read. */
export type Ranked = { titleId: string; mediaType: MediaType; score: number; reasons: ReasonCode[] };
/** A ranked title with its reasons' texts. */
export type Recommended = Omit<Ranked, 'reasons'> & { reasons: RecommendationReason[] };
export type SimilarTitle = { titleId: string; score: number };

export type ScoringContext = {
  catalog: Catalog;
  model: ItemModel | undefined;
  /** Per title: its popularity prior (weight · log-scaled people count, 0..weight). */
  popular: Float64Array;
  /** Per title: its trending prior (weight · decayed recent interactions, 0..weight). */
  trend: Float64Array;
  /** Titles by prior (popular + trend), best first: all of them, and per genre. */
  ranked: { all: readonly number[]; byGenre(genreId: number): readonly number[] };
  options: ScoringOptions;
};

/** Candidates re-ranked for diversity, per title re-ranked (see `diversify`). */
const POOL_FACTOR = 3;

/**
 * A user's top titles: a blend of the collaborative score (their history through the item
 * model), genre, people, keyword and language affinity, and a popularity/trending prior that fades
 * as their history grows; minus everything they rated, watched or listed, titles of a genre
 * they dislike and media types they did not choose; then re-ranked for diversity (MMR).
 */
export function rankFor(context: ScoringContext, taste: Taste, limit: number, diversity: number): Ranked[] {
  const { catalog, model, options } = context;
  const collaborative = collaborativeScores(model, taste);
  const genres = genreProfile(catalog, taste);
  const keywords = keywordProfile(catalog, taste);
  const dislikedMask = [...taste.dislikedGenres].reduce((mask, id) => mask | catalog.genreBit(id), 0);
  const fade = 1 / (1 + taste.interactions.size / options.historyScale);
  const likesPeople = taste.likedPeople.size > 0;
  const prefersLanguages = taste.languages.size > 0;
  const prefersTypes = taste.mediaTypes.size > 0;
  // Titles share few genre combinations: each combination's affinity is computed once.
  const genreByMask = new Map<number, number>();

  // MMR re-ranks at most the first DIVERSIFIED picks, each from POOL_FACTOR times as many
  // candidates; below those the order is by score, so a long list needs no wider pool.
  const pool = new TopScores<Contributions>(Math.max(limit, 1) + (POOL_FACTOR - 1) * Math.min(Math.max(limit, 1), DIVERSIFIED));
  const parts: Contributions[] = [];
  // The loop below is the hot path of every re-score: it reads flat arrays first and touches
  // a title's object only for titles still in the running.
  // Marked titles are never candidates: the user's own (rated, watched, listed) to begin with.
  const marked = scratch.marks(catalog.size);
  for (const title of taste.interactions.keys()) marked[title] = 1;
  const candidates = candidatesFor(context, taste, genres, collaborative, marked);
  for (const title of taste.interactions.keys()) marked[title] = 0;
  const { genreMasks, imported } = catalog.flags();
  // A title's object is read only when the user's preferences or keywords need it (most
  // candidates of most users: never), as it is one pointer chase per candidate.
  const needsTitle = prefersTypes || likesPeople || prefersLanguages || keywords.size > 0;
  for (const i of candidates) {
    const mask = genreMasks[i]!;
    if (imported[i] === 0 || (mask & dislikedMask) !== 0) continue;
    const title = needsTitle ? catalog.at(i) : undefined;
    if (prefersTypes && !taste.mediaTypes.has(title!.mediaType)) continue;
    const row = model === undefined ? -1 : model.rowOf[i]!;
    const cf = collaborative !== undefined && row >= 0 ? collaborative.scores[row]! / collaborative.max : 0;
    let genre = genreByMask.get(mask);
    if (genre === undefined) {
      const genreIds = catalog.at(i).genreIds;
      let history = 0;
      let stated = 0;
      for (const id of genreIds) {
        history += genres.get(id) ?? 0;
        if (taste.likedGenres.has(id)) stated++;
      }
      const count = Math.max(1, genreIds.length);
      genre = (options.genreWeight * history + options.statedGenreWeight * stated) / count;
      genreByMask.set(mask, genre);
    }
    const person = likesPeople && title!.people.some((id) => taste.likedPeople.has(id)) ? options.peopleWeight : 0;
    const language = prefersLanguages && taste.languages.has(title!.language) ? options.languageWeight : 0;
    const keyword = keywords.size > 0 ? options.keywordWeight * keywordAffinity(keywords, title!.keywords) : 0;
    const popular = fade * context.popular[i]!;
    const trend = fade * context.trend[i]!;
    const score = cf + genre + person + language + keyword + popular + trend;
    if (pool.admits(score)) pool.add(i, score, { title: i, score, cf, genre, person, popular, trend });
  }
  for (const entry of pool.sorted()) parts.push(entry.parts);
  const chosen = diversify(catalog, parts, limit, diversity);
  const genreReasons: ReasonCache = new Map();
  return chosen.map((part) => {
    const title = catalog.at(part.title);
    return {
      titleId: title.titleId,
      mediaType: title.mediaType,
      score: round(part.score),
      reasons: reasonsFor(context, taste, part, collaborative, genreReasons),
    };
  });
}

/** Titles taken from each genre, person and popularity list as candidates. */
const PER_LIST = 200;
/** The item model's best titles for the user taken as candidates. */
const COLLABORATIVE_CANDIDATES = 300;

/**
 * The titles worth scoring for a user, instead of the whole catalog: the titles the item
 * model scores highest for them, the best of the popularity/trending prior, and the best
 * titles of their stated genres, their liked people and the two genres of their history.
 * A title in none of these would rarely make the top (ml-latest-small's nDCG@10 moves by
 * 0.0001), and a 10,000-title catalog shrinks to a few hundred titles per re-score.
 * Titles already `marked` are skipped (and stay marked); the ones taken are unmarked again.
 */
function candidatesFor(
  context: ScoringContext,
  taste: Taste,
  genres: Map<number, number>,
  collaborative: Collaborative | undefined,
  marked: Uint8Array,
): number[] {
  const { catalog, model, ranked } = context;
  const out: number[] = [];
  const take = (titles: Iterable<number>, limit: number) => {
    let taken = 0;
    for (const title of titles) {
      if (taken >= limit) return;
      taken++;
      if (marked[title] === 1) continue;
      marked[title] = 1;
      out.push(title);
    }
  };
  if (model !== undefined && collaborative !== undefined) {
    // Only which titles, not their order: every candidate is scored in full below.
    // Only positive scores are taken, so the k-th largest of those alone decides (it is the
    // k-th largest of all when there are k of them; with fewer, every positive one is taken).
    const threshold = kthLargestPositive(collaborative.scores, model.size, COLLABORATIVE_CANDIDATES);
    const rows: number[] = [];
    for (let row = 0; row < model.size && rows.length < COLLABORATIVE_CANDIDATES; row++) {
      const score = collaborative.scores[row]!;
      if (score > 0 && score > threshold) rows.push(model.titles[row]!);
    }
    for (let row = 0; row < model.size && rows.length < COLLABORATIVE_CANDIDATES; row++) {
      if (collaborative.scores[row] === threshold && threshold > 0) rows.push(model.titles[row]!);
    }
    take(rows, COLLABORATIVE_CANDIDATES);
  }
  take(ranked.all, PER_LIST);
  const historyGenres = [...genres]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([id]) => id);
  for (const genreId of new Set([...taste.likedGenres, ...historyGenres])) take(ranked.byGenre(genreId), PER_LIST);
  for (const personId of taste.likedPeople) take(catalog.titlesWith(personId), PER_LIST);
  for (const title of out) marked[title] = 0;
  return out;
}

/**
 * The k-th largest of the positive values among the first `n` (or -Infinity when there are
 * fewer than k), by quickselect on a scratch copy of them: O(n), where a heap of the best k
 * costs O(n log k) and an object per entry.
 */
function kthLargestPositive(values: Float32Array, n: number, k: number): number {
  const a = scratch.select(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    if (value > 0) a[count++] = value;
  }
  if (k > count) return -Infinity;
  let lo = 0;
  let hi = count - 1;
  const target = k - 1; // descending order
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target]!;
}

/** The user's history through the item model: Σ weight(h) · B[h, ·], and its largest value. */
export type Collaborative = {
  scores: Float32Array;
  max: number;
  /** The user's history the model covers: model rows, their weights and catalog indices (for reasons). */
  rows: Int32Array;
  weights: Float64Array;
  titles: Int32Array;
};

function collaborativeScores(model: ItemModel | undefined, taste: Taste): Collaborative | undefined {
  if (model === undefined) return undefined;
  const n = model.size;
  const rows: number[] = [];
  const weights: number[] = [];
  const titles: number[] = [];
  for (const [title, interaction] of taste.interactions) {
    const row = model.rowOf[title] ?? -1;
    if (row < 0) continue;
    rows.push(row);
    weights.push(interactionWeight(interaction));
    titles.push(title);
  }
  if (rows.length === 0) return undefined;
  const scores = scratch.scores(n);
  const all = model.weights;
  // Two history rows per pass over the scores (half the loads and stores of them), each sum
  // rounded to float32 in between as a store would: the same scores as one row at a time.
  let h = 0;
  for (; h + 2 <= rows.length; h += 2) {
    const w0 = weights[h]!;
    const w1 = weights[h + 1]!;
    const r0 = all.subarray(rows[h]! * n, rows[h]! * n + n);
    const r1 = all.subarray(rows[h + 1]! * n, rows[h + 1]! * n + n);
    for (let j = 0; j < n; j++) scores[j] = Math.fround(scores[j]! + w0 * r0[j]!) + w1 * r1[j]!;
  }
  if (h < rows.length) {
    const weight = weights[h]!;
    const row = all.subarray(rows[h]! * n, rows[h]! * n + n);
    for (let j = 0; j < n; j++) scores[j]! += weight * row[j]!;
  }
  let max = 0;
  for (let j = 0; j < n; j++) if (scores[j]! > max) max = scores[j]!;
  return max > 0
    ? { scores, max, rows: Int32Array.from(rows), weights: Float64Array.from(weights), titles: Int32Array.from(titles) }
    : undefined;
}

/** Genre id → affinity 0..1: the user's (weighted) history in that genre, against their strongest genre. */
function genreProfile(catalog: Catalog, taste: Taste): Map<number, number> {
  const profile = new Map<number, number>();
  for (const [title, interaction] of taste.interactions) {
    const weight = interactionWeight(interaction);
    for (const id of catalog.at(title).genreIds) profile.set(id, (profile.get(id) ?? 0) + weight);
  }
  let max = 0;
  for (const value of profile.values()) max = Math.max(max, value);
  for (const [id, value] of profile) profile.set(id, value / max);
  return profile;
}

/** Keyword id → affinity 0..1, like `genreProfile`; empty when the history has no keywords (MovieLens, say). */
function keywordProfile(catalog: Catalog, taste: Taste): Map<number, number> {
  const profile = new Map<number, number>();
  for (const [title, interaction] of taste.interactions) {
    const keywords = catalog.at(title).keywords;
    if (keywords.length === 0) continue;
    const weight = interactionWeight(interaction);
    for (const id of keywords) profile.set(id, (profile.get(id) ?? 0) + weight);
  }
  let max = 0;
  for (const value of profile.values()) max = Math.max(max, value);
  for (const [id, value] of profile) profile.set(id, value / max);
  return profile;
}

/** How much of a title's keywords the user's history shares, 0..1: three strong matches are the most it counts. */
function keywordAffinity(profile: Map<number, number>, keywords: readonly number[]): number {
  let sum = 0;
  for (const id of keywords) sum += profile.get(id) ?? 0;
  return Math.min(1, sum / KEYWORD_MATCHES);
}
const KEYWORD_MATCHES = 3;

/** The titles most like one title: from the item model when it covers it, else by genres and people. */
export function similarTo(context: ScoringContext, index: number, limit: number): SimilarTitle[] {
  const { catalog, model } = context;
  const source = catalog.at(index);
  const top = new TopScores<undefined>(limit);
  const row = model?.rowOf[index] ?? -1;
  if (model !== undefined && row >= 0) {
    const n = model.size;
    for (let j = 0; j < n; j++) {
      if (j === row) continue;
      const score = (model.weights[row * n + j]! + model.weights[j * n + row]!) / 2;
      if (score > 0 && top.admits(score)) top.add(model.titles[j]!, score, undefined);
    }
  } else {
    // By genres and people, among the best-known titles of its genres and its people's titles
    // (scoring the whole catalog for each of thousands of titles would make every sweep slow).
    const popularity = context.options.popularityWeight || 1;
    const candidates = new Set<number>();
    for (const genreId of source.genreIds) for (const i of context.ranked.byGenre(genreId).slice(0, PER_LIST)) candidates.add(i);
    for (const personId of source.people) for (const i of catalog.titlesWith(personId)) candidates.add(i);
    for (const i of candidates) {
      const other = catalog.at(i);
      if (i === index || !other.imported || other.mediaType !== source.mediaType) continue;
      const genres = jaccard(source.genreMask, other.genreMask);
      const people = other.people.some((id) => source.people.includes(id)) ? 1 : 0;
      const score = 0.6 * genres + 0.3 * people + (0.1 * context.popular[i]!) / popularity;
      if (score > 0.3 && top.admits(score)) top.add(i, score, undefined);
    }
  }
  const ranked = top.sorted();
  const best = ranked[0]?.score ?? 1;
  return ranked.map((entry) => ({ titleId: catalog.at(entry.title).titleId, score: round(entry.score / best) }));
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Buffers reused by every re-score (one runs at a time, start to finish, on this thread):
 * a sweep re-scores 100,000 users, and three fresh typed arrays each would mostly feed the
 * garbage collector. `marks` come back all zero (each user clears what they set);
 * `scores` are zeroed here.
 */
const scratch = {
  markBuffer: new Uint8Array(0),
  scoreBuffer: new Float32Array(0),
  selectBuffer: new Float32Array(0),
  select(size: number): Float32Array {
    if (this.selectBuffer.length < size) this.selectBuffer = new Float32Array(size);
    return this.selectBuffer;
  },
  marks(size: number): Uint8Array {
    if (this.markBuffer.length < size) this.markBuffer = new Uint8Array(size);
    return this.markBuffer;
  },
  scores(size: number): Float32Array {
    if (this.scoreBuffer.length !== size) this.scoreBuffer = new Float32Array(size);
    else this.scoreBuffer.fill(0);
    return this.scoreBuffer;
  },
};
