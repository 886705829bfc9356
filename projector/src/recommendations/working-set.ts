import { setImmediate } from 'node:timers/promises';
import type { EventStore, Position, RecordedEvent } from '@reeltime/eventstore';
import { channels, Notices, type Notice } from '../model/notices.ts';
import type { WorkingSet } from '../model/projection.ts';
import type { Queryable } from '../model/sql.ts';
import { RecommendationEngine, type EngineOptions, type Ranked, type SimilarTitle } from './engine/engine.ts';
import { fitInWorker } from './engine/fit-in-worker.ts';

/** Rows kept per user: the top 50 overall, plus the top 20 of each media type (for `type=`). */
export const KEPT = 50;
export const KEPT_PER_TYPE = 20;
/** Similar titles kept per title. */
export const SIMILAR_KEPT = 20;
/** A long upkeep step lets the event loop turn this often (ms). */
const TURN_MS = 10;
/** Below this many interactions a model counts as young whatever it was fitted on. */
const YOUNG_MODEL = 500;
/** The user id of the list for people with no history at all. */
export const EVERYONE = '*';

/** The outputs of one batch (or one step of upkeep), written by `flush`. */
export class RecommendationChanges {
  /** User → their new rows; `null` deletes them (an erased account). */
  readonly users = new Map<string, Ranked[] | null>();
  readonly similar = new Map<string, SimilarTitle[]>();
  readonly notices: Notice[] = [];
  /** Users this batch's events touched (once live), with the last such event: re-scored once, by `settle`. */
  readonly touched = new Map<string, RecordedEvent>();
  constructor(readonly owner: RecommendationWorkingSet) {}

  get isEmpty(): boolean {
    return this.users.size === 0 && this.similar.size === 0;
  }
}

export type RecommendationSettings = {
  /** Shortest time between two fits while serving. */
  refitMs: number;
  /** Share of all interactions that must have changed before a refit is worth it. */
  refitShare: number;
  /** Work per upkeep step, so that new events never wait long behind a sweep. */
  upkeepBudgetMs: number;
  engine?: Partial<EngineOptions>;
};

/**
 * The recommendations projection's whole state, held in memory by the lease holder: the
 * engine (a fold of every event up to the checkpoint, warmed by replaying the store) and
 * the bookkeeping of what still has to be re-scored.
 *
 * While catching up, events only fold in. Once caught up (the runner calls `upkeep` when no
 * batch is waiting), the model is fitted in a worker thread and everyone is re-scored in
 * small steps; from then on each batch re-scores the users its events concern ("live"), and a refit
 * (in the worker again) is followed by another stepwise sweep.
 */
export class RecommendationWorkingSet implements WorkingSet<RecommendationChanges> {
  engine: RecommendationEngine;
  #live = false;
  #fitting: Promise<{ titles: Int32Array; weights: Float32Array }> | undefined;
  #fitted: { titles: Int32Array; weights: Float32Array } | undefined;
  #fitFailed: unknown;
  #lastFitAt = 0;
  /** Users (and EVERYONE) still to re-score, then titles whose similar list is due. */
  readonly #dueUsers = new Set<string>();
  readonly #dueSimilar = new Set<string>();
  #position: Position | undefined;

  constructor(
    readonly settings: RecommendationSettings,
    readonly eventTypes: readonly string[],
  ) {
    this.engine = new RecommendationEngine(settings.engine);
  }

  get rows(): number {
    return this.engine.users;
  }

  /** Replays every event up to the checkpoint into a fresh engine (events are the only input). */
  async warm(_db: Queryable, _schema: string, _maxRows: number, source?: { store: EventStore; checkpoint: Position }): Promise<boolean> {
    if (source === undefined) throw new Error('the recommendations working set warms from the event store');
    const { store, checkpoint } = source;
    let from: Position | undefined;
    while (store.comparePositions(from ?? store.startPosition, checkpoint) < 0) {
      const page = await store.readAll({ from, limit: 5000, eventTypes: this.eventTypes });
      for (const event of page.events) {
        if (store.comparePositions(event.position, checkpoint) > 0) break;
        this.#fold(event);
      }
      if (page.events.length === 0 || page.isEnd) break;
      from = page.position;
    }
    // Everyone is re-scored once the first fit lands (the rows on disk came from an older model).
    for (const userId of this.engine.userIds()) this.#dueUsers.add(userId);
    this.#dueUsers.add(EVERYONE);
    this.#allSimilarDue();
    return true;
  }

  async load(): Promise<RecommendationChanges> {
    return new RecommendationChanges(this);
  }

  commit(): void {}

  /** Folds an event in and, once live, marks the user it concerns for re-scoring at the end of the batch. */
  applyEvent(changes: RecommendationChanges, event: RecordedEvent): void {
    // A catalog event's title, and the name lists show for it if it was known before (a new
    // title is in no one's history): the rating path skips both look-ups.
    const catalogTitle = event.type === 'TitleImported' || event.type === 'TitleUpdated' ? (event.data.titleId as string) : undefined;
    const known = catalogTitle !== undefined && this.engine.catalog.get(catalogTitle) !== undefined;
    const before = known ? this.nameShown(catalogTitle) : undefined;
    const affected = this.#fold(event);
    if (affected === undefined) return;
    if (affected === null) {
      // A catalog change: the cold-start list and the title's neighbours, at the next step.
      this.#dueUsers.add(EVERYONE);
      if (catalogTitle !== undefined) {
        this.#dueSimilar.add(catalogTitle);
        // The lists store the names their reasons show ("Because you rated Alien 9/10"): once
        // live, a renamed title's (or a title named at its import) people are re-scored, a step
        // at a time. Before that, everyone is (warm, and the first fit).
        if (this.#live && known && this.nameShown(catalogTitle) !== before) this.#rescorePeopleOf(catalogTitle);
      }
      return;
    }
    if (!this.#live) {
      this.#dueUsers.add(affected);
      return;
    }
    this.#dueUsers.delete(affected);
    // Re-scored once per batch (settle): an import's 20,000 events are one user's, and a
    // re-score per event made projecting them take minutes.
    changes.touched.set(affected, event);
  }

  /** Re-scores each user the batch touched, once; the notice goes out at their last event. */
  settle(changes: RecommendationChanges, notices: Notices): void {
    for (const [userId, event] of changes.touched) {
      this.#rescore(changes, userId, (data) => notices.note(event, channels.me(userId), () => data));
    }
    changes.touched.clear();
  }

  /** Whether the projection still owes work (a fit or a sweep): a build does not swap before. */
  pending(): boolean {
    return (
      this.#fitting !== undefined || this.#fitted !== undefined || this.#dueUsers.size > 0 || this.#dueSimilar.size > 0 || this.#fitDue()
    );
  }

  /**
   * One step of background work while no events wait: start a fit when due, adopt a finished
   * one, or re-score the next users and titles within the time budget. Answers the changes
   * to write, or undefined when there is nothing to write now.
   */
  async upkeep(stepMs?: number): Promise<{ state: RecommendationChanges; notices: Notice[] } | undefined> {
    if (this.#fitFailed !== undefined) {
      const error = this.#fitFailed;
      this.#fitFailed = undefined;
      throw error;
    }
    if (this.#fitted !== undefined) {
      this.engine.useModel(this.#fitted.titles, this.#fitted.weights);
      this.#fitted = undefined;
      this.#live = true;
      for (const userId of this.engine.userIds()) this.#dueUsers.add(userId);
      this.#dueUsers.add(EVERYONE);
      this.#allSimilarDue();
    }
    if (this.#fitting === undefined && this.#fitDue()) this.#startFit();
    if (this.#fitting !== undefined && !this.#live) return undefined;
    if (this.#dueUsers.size === 0 && this.#dueSimilar.size === 0) {
      // Nothing to fit from (an empty store): serve popularity alone.
      this.#live = this.#live || this.#fitting === undefined;
      return undefined;
    }
    const changes = new RecommendationChanges(this);
    const deadline = performance.now() + Math.max(this.settings.upkeepBudgetMs, stepMs ?? 0);
    let turn = performance.now() + TURN_MS;
    const position = this.#position;
    for (const userId of this.#dueUsers) {
      if (performance.now() > deadline) break;
      if (performance.now() > turn) {
        // The previous step's write (BEGIN, rows, checkpoint, COMMIT: each a round trip) goes
        // on while this one computes only if the event loop turns: a rebuild's steps are long.
        await setImmediate();
        turn = performance.now() + TURN_MS;
      }
      this.#dueUsers.delete(userId);
      this.#rescore(changes, userId, (data) => {
        if (position !== undefined && userId !== EVERYONE) changes.notices.push({ channel: channels.me(userId), position, data });
      });
    }
    for (const titleId of this.#dueSimilar) {
      if (performance.now() > deadline) break;
      this.#dueSimilar.delete(titleId);
      changes.similar.set(titleId, this.engine.similar(titleId, SIMILAR_KEPT));
    }
    return changes.isEmpty ? undefined : { state: changes, notices: changes.notices };
  }

  /** The name a list shows for a title (see lists.ts): none until its import, its id shows instead. */
  nameShown(titleId: string): string | undefined {
    const title = this.engine.catalog.get(titleId);
    return title?.imported ? title.name : undefined;
  }

  /**
   * Marks everyone with `titleId` in their history (the only lists whose reasons can name it) for
   * re-scoring: one pass over the people, on a rename only.
   */
  #rescorePeopleOf(titleId: string): void {
    const title = this.engine.catalog.get(titleId);
    if (title === undefined) return;
    for (const userId of this.engine.userIds()) {
      if (this.engine.taste(userId)?.interactions.has(title.index)) this.#dueUsers.add(userId);
    }
  }

  #fold(event: RecordedEvent): string | null | undefined {
    this.#position = event.position;
    return this.engine.apply(event);
  }

  #fitDue(): boolean {
    if (this.engine.model === undefined) return this.engine.needsFit(0);
    // A model fitted on less than half of today's interactions (a young system, a seed or an
    // import under way) is refitted at once: fits then come at 1×, 2×, 4×… the data, not
    // `refitMs` apart with the first one fitted on almost nothing.
    if (this.engine.interactions >= 2 * Math.max(YOUNG_MODEL, this.engine.interactionsAtFit)) return true;
    return performance.now() - this.#lastFitAt >= this.settings.refitMs && this.engine.needsFit(this.settings.refitShare);
  }

  #startFit(): void {
    this.#lastFitAt = performance.now();
    const { input, titles } = this.engine.snapshot();
    this.#fitting = fitInWorker(input, this.engine.options).then(
      (weights) => {
        this.#fitted = { titles, weights };
        this.#fitting = undefined;
        return this.#fitted;
      },
      (error: unknown) => {
        this.#fitFailed = error;
        this.#fitting = undefined;
        throw error;
      },
    );
    this.#fitting.catch(() => {});
  }

  #allSimilarDue(): void {
    for (let i = 0; i < this.engine.catalog.size; i++) {
      const title = this.engine.catalog.at(i);
      if (title.imported) this.#dueSimilar.add(title.titleId);
    }
  }

  /** Re-scores one user; announces the new top ten when it differs from what was written. */
  #rescore(
    changes: RecommendationChanges,
    userId: string,
    announce: (data: { type: 'recommendations.changed'; titleIds: string[] }) => void,
  ): void {
    const taste = this.engine.taste(userId);
    if (userId !== EVERYONE && (taste === undefined || taste.isEmpty)) {
      // An erased account, or one whose history emptied: its rows go and the cold-start list answers.
      changes.users.set(userId, null);
      return;
    }
    const rows = keptRows(this.engine, userId);
    changes.users.set(userId, rows);
    const top = rows.slice(0, 10).map((row) => row.titleId);
    if (taste !== undefined && !sameIds(taste.shown, top)) {
      taste.shown = top;
      announce({ type: 'recommendations.changed', titleIds: top });
    }
  }
}

/** The top KEPT overall (diversified), then more of each media type up to KEPT_PER_TYPE. */
function keptRows(engine: RecommendationEngine, userId: string): Ranked[] {
  const ranked = engine.rank(userId, { limit: KEPT + KEPT_PER_TYPE });
  const kept = ranked.slice(0, KEPT);
  const perType = new Map<string, number>();
  for (const row of kept) perType.set(row.mediaType, (perType.get(row.mediaType) ?? 0) + 1);
  for (const row of ranked.slice(KEPT)) {
    const count = perType.get(row.mediaType) ?? 0;
    if (count >= KEPT_PER_TYPE) continue;
    perType.set(row.mediaType, count + 1);
    kept.push(row);
  }
  return kept;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
