import type { RecordedEvent } from '@reeltime/eventstore';
import { describeReason } from '@reeltime/schemas';
import { Catalog } from './catalog.ts';
import { fitItemModel, type FitInput } from './model.ts';
import { rankFor, similarTo, type Ranked, type Recommended, type ScoringContext, type SimilarTitle } from './scoring.ts';
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from './options.ts';
import { Taste } from './tastes.ts';

export type { Ranked, Recommended, SimilarTitle } from './scoring.ts';
export type { ReasonCode } from '@reeltime/schemas';

export { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from './options.ts';

/** The fitted collaborative model: which titles it covers and their item-item weights. */
export type ItemModel = {
  /** Model row → catalog index. */
  readonly titles: Int32Array;
  /** Catalog index → model row, -1 when not covered. */
  readonly rowOf: Int32Array;
  readonly weights: Float32Array;
  readonly size: number;
};

/** The popularity and trending prior per title, and the titles ranked by it. */
type Prior = Pick<ScoringContext, 'popular' | 'trend' | 'ranked'>;

/** A fit's input, taken from the engine at one moment (see `snapshot`). */
export type FitSnapshot = { input: FitInput; titles: Int32Array };

/**
 * The recommendation engine: a pure fold of events (catalog, ratings, diary, lists,
 * preferences, accounts) into everything scoring needs, plus the collaborative model fitted
 * from it. No I/O: the projection feeds it events and writes what it answers; the offline
 * evaluation feeds it MovieLens as events. Fitting is separate from folding so that the
 * projection can fit in a worker thread from a `snapshot` while events keep coming.
 */
export class RecommendationEngine {
  readonly options: EngineOptions;
  readonly catalog = new Catalog();
  readonly #tastes = new Map<string, Taste>();
  readonly #lists = new Map<string, { owner: string; titles: Set<number> }>();
  readonly #listsOf = new Map<string, Set<string>>();
  /** Per catalog index: people who interacted with it. */
  #counts: number[] = [];
  /** Per catalog index: interactions decayed to `#trendingAt[i]`. */
  #trending: number[] = [];
  #trendingAt: number[] = [];
  /** The latest event time seen: "now" for trending, also during a replay of old events. */
  #clock = 0;
  #model: ItemModel | undefined;
  /** Interactions begun or ended since the model was fitted. */
  #changesSinceFit = 0;
  #priorCache: (Prior & { at: number }) | undefined;
  #interactions = 0;
  #interactionsAtFit = 0;

  constructor(options: Partial<EngineOptions> = {}) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  }

  get users(): number {
    return this.#tastes.size;
  }

  get model(): ItemModel | undefined {
    return this.#model;
  }

  get changesSinceFit(): number {
    return this.#changesSinceFit;
  }

  userIds(): IterableIterator<string> {
    return this.#tastes.keys();
  }

  taste(userId: string): Taste | undefined {
    return this.#tastes.get(userId);
  }

  /**
   * Folds one event in. Answers the user whose recommendations it may change, `null` for a
   * catalog event (everyone's may, a little), `undefined` when nothing changed.
   */
  apply(event: RecordedEvent): string | null | undefined {
    const at = Date.parse(event.occurredAt);
    if (at > this.#clock) this.#clock = at;
    switch (event.type) {
      case 'TitleImported':
        this.catalog.imported(event.data);
        this.#grow();
        return null;
      case 'TitleUpdated':
        this.catalog.updated(event.data.titleId, event.data.changes);
        return null;
      case 'UserRegistered':
        return undefined;
      case 'UserErased':
        return this.#erase(event.data.userId);
      case 'TitleRated':
        return this.#touch(event.data.userId, event.data.titleId, at, (i) => (i.score = event.data.score));
      case 'TitleUnrated':
        return this.#touch(event.data.userId, event.data.titleId, at, (i) => (i.score = null));
      case 'TitleWatched': {
        const { userId, entryId, titleId } = event.data;
        const taste = this.#tasteOf(userId);
        if (taste.entries.has(entryId)) return undefined;
        taste.entries.set(entryId, this.catalog.indexOf(titleId));
        return this.#touch(userId, titleId, at, (i) => (i.watches += 1));
      }
      case 'DiaryEntryRemoved': {
        const taste = this.#tastes.get(event.data.userId);
        const title = taste?.entries.get(event.data.entryId);
        if (taste === undefined || title === undefined) return undefined;
        taste.entries.delete(event.data.entryId);
        return this.#touch(event.data.userId, this.catalog.at(title).titleId, at, (i) => (i.watches -= 1));
      }
      case 'ListCreated': {
        const { listId, ownerId } = event.data;
        this.#lists.set(listId, { owner: ownerId, titles: new Set() });
        this.#listsOf.set(ownerId, (this.#listsOf.get(ownerId) ?? new Set()).add(listId));
        return undefined;
      }
      case 'ListItemAdded':
        return this.#listItem(event.data.listId, event.data.titleId, at, true);
      case 'ListItemRemoved':
        return this.#listItem(event.data.listId, event.data.titleId, at, false);
      case 'ListDeleted': {
        const list = this.#lists.get(event.data.listId);
        if (list === undefined) return undefined;
        for (const title of [...list.titles]) this.#listItem(event.data.listId, this.catalog.at(title).titleId, at, false);
        this.#lists.delete(event.data.listId);
        this.#listsOf.get(list.owner)?.delete(event.data.listId);
        return list.owner;
      }
      case 'GenreLiked':
      case 'GenreUnliked':
        return this.#preference(event.data.userId, (t) => toggle(t.likedGenres, event.data.genreId, event.type === 'GenreLiked'));
      case 'GenreDisliked':
      case 'GenreUndisliked':
        return this.#preference(event.data.userId, (t) => toggle(t.dislikedGenres, event.data.genreId, event.type === 'GenreDisliked'));
      case 'PersonLiked':
      case 'PersonUnliked':
        return this.#preference(event.data.userId, (t) => toggle(t.likedPeople, event.data.personId, event.type === 'PersonLiked'));
      case 'LanguagePreferred':
      case 'LanguageUnpreferred':
        return this.#preference(event.data.userId, (t) => toggle(t.languages, event.data.language, event.type === 'LanguagePreferred'));
      case 'MediaTypePreferred':
      case 'MediaTypeUnpreferred':
        return this.#preference(event.data.userId, (t) => toggle(t.mediaTypes, event.data.mediaType, event.type === 'MediaTypePreferred'));
      default:
        return undefined;
    }
  }

  /**
   * A user's titles, best first, with one to three reasons each. A user the engine does not
   * know (or who has erased their account) gets the cold-start list.
   */
  recommend(userId: string, options: { limit?: number; diversity?: number } = {}): Recommended[] {
    const titleName = (titleId: string) => this.catalog.get(titleId)?.name ?? titleId;
    return this.rank(userId, options).map((item) => ({ ...item, reasons: item.reasons.map((code) => describeReason(code, titleName)) }));
  }

  /** As `recommend`, the reasons as stored (codes, their texts filled in when read). */
  rank(userId: string, options: { limit?: number; diversity?: number } = {}): Ranked[] {
    return rankFor(
      this.#scoringContext(),
      this.#tastes.get(userId) ?? new Taste(),
      options.limit ?? 10,
      options.diversity ?? this.options.diversity,
    );
  }

  /** The titles most like this one, for its page (`score` 0..1). */
  similar(titleId: string, limit: number): SimilarTitle[] {
    const title = this.catalog.get(titleId);
    return title === undefined ? [] : similarTo(this.#scoringContext(), title.index, limit);
  }

  /** Interactions (person × title) now, and when the model in use was snapshotted. */
  get interactions(): number {
    return this.#interactions;
  }

  get interactionsAtFit(): number {
    return this.#interactionsAtFit;
  }

  /** Whether enough has changed since the last fit (or there is none) to fit again. */
  needsFit(minChangeShare: number): boolean {
    if (this.#changesSinceFit === 0) return false;
    if (this.#model === undefined) return true;
    return this.#changesSinceFit >= Math.max(1, minChangeShare * this.#interactions);
  }

  /**
   * The fit's input as of now: the vocabulary (titles with at least `minInteractions` people,
   * the most interacted first, at most `maxModelTitles`, ties by catalog order so a replay
   * chooses the same) and every user's covered interactions in the order they began.
   */
  snapshot(): FitSnapshot {
    const { minInteractions, maxModelTitles } = this.options;
    const eligible: number[] = [];
    for (let i = 0; i < this.#counts.length; i++) if (this.#counts[i]! >= minInteractions && this.catalog.at(i).imported) eligible.push(i);
    eligible.sort((a, b) => this.#counts[b]! - this.#counts[a]! || a - b);
    const titles = Int32Array.from(eligible.slice(0, maxModelTitles));
    const rowOf = new Int32Array(this.catalog.size).fill(-1);
    titles.forEach((title, row) => (rowOf[title] = row));
    const offsets = [0];
    const rows: number[] = [];
    const times: number[] = [];
    for (const taste of this.#tastes.values()) {
      const covered = [...taste.interactions].filter(([title]) => rowOf[title]! >= 0).sort((a, b) => a[1].at - b[1].at);
      for (const [title, interaction] of covered) {
        rows.push(rowOf[title]!);
        times.push(interaction.at);
      }
      offsets.push(rows.length);
    }
    this.#changesSinceFit = 0;
    this.#interactionsAtFit = this.#interactions;
    return {
      input: { size: titles.length, offsets: Int32Array.from(offsets), titles: Int32Array.from(rows), times: Float64Array.from(times) },
      titles,
    };
  }

  /** Starts using a fitted model (from `fit` here or from a worker thread). */
  useModel(titles: Int32Array, weights: Float32Array): void {
    const rowOf = new Int32Array(this.catalog.size).fill(-1);
    titles.forEach((title, row) => (rowOf[title] = row));
    this.#model = { titles, rowOf, weights, size: titles.length };
    // The sweep that follows a fit re-scores everyone: with priors as of now, so that a
    // projection updated live ends where a rebuild from zero does.
    this.#priorCache = undefined;
  }

  /** Fits the collaborative model in this thread (the offline evaluation; tests). */
  fit(): void {
    const { input, titles } = this.snapshot();
    this.useModel(titles, fitItemModel(input, this.options));
  }

  #scoringContext(): ScoringContext {
    const prior = this.#prior();
    return {
      catalog: this.catalog,
      model: this.#model,
      popular: prior.popular,
      trend: prior.trend,
      ranked: prior.ranked,
      options: this.options,
    };
  }

  /**
   * Every title's popularity and trending prior, weighted and scaled to 0..weight.
   * Recomputed at most once a minute of event time (both move over days) and after each fit,
   * so scoring a user costs no extra pass over the catalog.
   */
  #prior(): Prior {
    const now = this.#clock;
    const cached = this.#priorCache;
    if (cached !== undefined && cached.popular.length === this.#counts.length && now - cached.at < 60_000 && now >= cached.at)
      return cached;
    const { popularityWeight, trendingWeight, trendingHalfLifeMs } = this.options;
    const rate = Math.LN2 / trendingHalfLifeMs;
    const n = this.#counts.length;
    const popular = new Float64Array(n);
    const trend = new Float64Array(n);
    let maxCount = 0;
    let maxTrend = 0;
    for (let i = 0; i < n; i++) {
      popular[i] = Math.log1p(Math.max(0, this.#counts[i]!));
      trend[i] = this.#trending[i]! * Math.exp(-rate * Math.max(0, now - this.#trendingAt[i]!));
      maxCount = Math.max(maxCount, popular[i]!);
      maxTrend = Math.max(maxTrend, trend[i]!);
    }
    for (let i = 0; i < n; i++) {
      popular[i] = maxCount > 0 ? (popularityWeight * popular[i]!) / maxCount : 0;
      trend[i] = maxTrend > 0 ? (trendingWeight * trend[i]!) / maxTrend : 0;
    }
    const all = Array.from({ length: n }, (_, i) => i)
      .filter((i) => this.catalog.at(i).imported)
      .sort((a, b) => popular[b]! + trend[b]! - (popular[a]! + trend[a]!) || a - b);
    const byGenre = new Map<number, number[]>();
    const ranked = {
      all,
      byGenre: (genreId: number): readonly number[] => {
        let titles = byGenre.get(genreId);
        if (titles === undefined) {
          titles = all.filter((i) => this.catalog.at(i).genreIds.includes(genreId));
          byGenre.set(genreId, titles);
        }
        return titles;
      },
    };
    this.#priorCache = { at: now, popular, trend, ranked };
    return this.#priorCache;
  }

  #grow(): void {
    while (this.#counts.length < this.catalog.size) {
      this.#counts.push(0);
      this.#trending.push(0);
      this.#trendingAt.push(0);
    }
  }

  #tasteOf(userId: string): Taste {
    let taste = this.#tastes.get(userId);
    if (taste === undefined) {
      taste = new Taste();
      this.#tastes.set(userId, taste);
    }
    return taste;
  }

  #touch(userId: string, titleId: string, at: number, change: Parameters<Taste['touch']>[2]): string {
    const title = this.catalog.indexOf(titleId);
    this.#grow();
    const delta = this.#tasteOf(userId).touch(title, at, change);
    if (delta !== 0) {
      this.#counts[title]! += delta;
      this.#interactions += delta;
      this.#changesSinceFit += 1;
    }
    if (delta > 0) {
      const rate = Math.LN2 / this.options.trendingHalfLifeMs;
      const last = this.#trendingAt[title]!;
      this.#trending[title] = this.#trending[title]! * Math.exp(-rate * Math.max(0, at - last)) + 1;
      this.#trendingAt[title] = Math.max(at, last);
    }
    return userId;
  }

  #listItem(listId: string, titleId: string, at: number, add: boolean): string | undefined {
    const list = this.#lists.get(listId);
    if (list === undefined) return undefined;
    const title = this.catalog.indexOf(titleId);
    if (list.titles.has(title) === add) return undefined;
    if (add) list.titles.add(title);
    else list.titles.delete(title);
    return this.#touch(list.owner, titleId, at, (i) => (i.lists += add ? 1 : -1));
  }

  #preference(userId: string, change: (taste: Taste) => void): string {
    change(this.#tasteOf(userId));
    return userId;
  }

  #erase(userId: string): string {
    for (const listId of this.#listsOf.get(userId) ?? []) this.#lists.delete(listId);
    this.#listsOf.delete(userId);
    const taste = this.#tastes.get(userId);
    if (taste === undefined) return userId;
    for (const [title] of taste.interactions) {
      this.#counts[title]! -= 1;
      this.#interactions -= 1;
      this.#changesSinceFit += 1;
    }
    this.#tastes.delete(userId);
    return userId;
  }
}

function toggle<T>(set: Set<T>, value: T, on: boolean): void {
  if (on) set.add(value);
  else set.delete(value);
}
