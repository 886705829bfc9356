import type { ReelEvent, TitleChanges, TitleImportedData } from '@reeltime/schemas';
import { unreachable, type Decider } from '@reeltime/decider';

/** A full snapshot from TMDb: import it, or record what changed since. */
export type SyncTitle = { type: 'SyncTitle'; title: TitleImportedData };
/**
 * A snapshot from a thinner source (MovieLens has no cast, overview or images): it may only
 * introduce a title, never overwrite what a richer source recorded.
 */
export type SeedTitle = { type: 'SeedTitle'; title: TitleImportedData };
export type TitleCommand = SyncTitle | SeedTitle;

export type TitleEvent = Extract<ReelEvent, { type: 'TitleImported' | 'TitleUpdated' }>;
/** The catalog record as recorded by the stream's events so far. */
export type TitleState = { recorded: TitleImportedData | null };

type MetricField = 'popularity' | 'voteAverage' | 'voteCount';

/**
 * Popularity drift rule: TMDb recomputes popularity daily and votes trickle in, so these
 * metrics change on nearly every sync. A change is recorded only when it moves the value by at
 * least this share of the value last recorded; smaller moves are ignored. Because the
 * comparison is with the last recorded value, slow drift still accumulates and is recorded
 * once it crosses the threshold.
 */
export const DRIFT_THRESHOLDS: Record<MetricField, number> = {
  popularity: 0.2,
  voteAverage: 0.02,
  voteCount: 0.05,
};

const IDENTITY = new Set(['titleId', 'mediaType', 'tmdbId']);

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameValue(item, other[i]));
  }
  // Key order is irrelevant: watch providers are keyed by region.
  const left = Object.entries(a).filter(([, v]) => v !== undefined);
  const right = Object.entries(b).filter(([, v]) => v !== undefined);
  return left.length === right.length && left.every(([key, value]) => sameValue(value, (b as Record<string, unknown>)[key]));
}

function drifted(field: MetricField, recorded: number, seen: number): boolean {
  if (recorded === seen) return false;
  if (recorded === 0) return true;
  return Math.abs(seen - recorded) / Math.abs(recorded) >= DRIFT_THRESHOLDS[field];
}

/** The fields of `seen` that differ from `recorded`, metrics only past their drift threshold. */
export function titleChanges(recorded: TitleImportedData, seen: TitleImportedData): Partial<TitleChanges> {
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(seen)) {
    // An optional field TMDb stopped sending cannot be cleared (TitleChanges has no null for
    // them); keeping the last known value beats inventing one.
    if (IDENTITY.has(field) || value === undefined) continue;
    const before = (recorded as Record<string, unknown>)[field];
    const changed =
      field in DRIFT_THRESHOLDS && typeof before === 'number' && typeof value === 'number'
        ? drifted(field as MetricField, before, value)
        : !sameValue(before, value);
    if (changed) changes[field] = value;
  }
  return changes as Partial<TitleChanges>;
}

export function decideTitle(command: TitleCommand, state: TitleState): TitleEvent[] {
  const { title } = command;
  const { recorded } = state;
  if (recorded === null) return [{ type: 'TitleImported', data: title }];
  if (recorded.titleId !== title.titleId) throw new Error(`snapshot of ${title.titleId} sent to the stream of ${recorded.titleId}`);
  if (command.type === 'SeedTitle') return [];
  const changes = titleChanges(recorded, title);
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'TitleUpdated', data: { titleId: title.titleId, changes: changes as TitleChanges } }];
}

export function evolveTitle(state: TitleState, event: TitleEvent): TitleState {
  switch (event.type) {
    case 'TitleImported':
      return { recorded: event.data };
    case 'TitleUpdated':
      return state.recorded === null ? state : { recorded: { ...state.recorded, ...event.data.changes } };
    default:
      return unreachable(event);
  }
}

export const titleDecider: Decider<TitleCommand, TitleState, TitleEvent> = {
  initialState: { recorded: null },
  decide: decideTitle,
  evolve: evolveTitle,
};

export { titleStream } from '@reeltime/schemas';
