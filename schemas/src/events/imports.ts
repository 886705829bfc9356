import { Type, type Static } from 'typebox';
import { UserId } from '../ids.ts';
import { StrictObject } from '../strict.ts';

// Stream `import-<importId>`: the progress of one import of a Letterboxd, IMDb, Trakt or Reeltime export.
// The rows themselves become ratings, diary entries and list items in their own streams.

// Values are only ever added: events that name an older one must stay readable.
export const ImportSource = Type.Enum(['letterboxd', 'imdb', 'trakt', 'reeltime'], {
  description: "Where the file was exported from (`reeltime`: this service's own JSON export, `GET /me/export`)",
});
export type ImportSource = Static<typeof ImportSource>;

export const ImportId = Type.String({
  format: 'uuid',
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  maxLength: 36,
  description: 'Import id (lower-case UUID)',
});
export type ImportId = Static<typeof ImportId>;

/** A row that did not become activity, and why (no match, ambiguous, refused by a rule). */
export const UnmatchedRow = StrictObject({
  file: Type.String({ maxLength: 300, description: 'File name (inside the zip, if it was one)' }),
  line: Type.Integer({ minimum: 0, description: 'Line in that file (1 = the first line); 0 when the format has no lines' }),
  text: Type.String({ maxLength: 500, description: 'What the row named, e.g. "Alien (1979)"' }),
  reason: Type.String({ maxLength: 300 }),
});
export type UnmatchedRow = Static<typeof UnmatchedRow>;

/** At most this many unmatched rows are kept with an import (the count stays exact). */
export const MAX_UNMATCHED_KEPT = 1000;

const Count = Type.Integer({ minimum: 0 });

export const ImportStartedData = StrictObject({
  importId: ImportId,
  userId: UserId,
  source: ImportSource,
  fileName: Type.String({ maxLength: 300 }),
  /** Rows read from the file (every one will be matched, imported, already present or unmatched). */
  rows: Count,
});
export type ImportStartedData = Static<typeof ImportStartedData>;

/** Counters so far (not increments: a repeated event changes nothing), plus the rows newly unmatched. */
export const ImportProgressedData = StrictObject({
  importId: ImportId,
  userId: UserId,
  matched: Count,
  imported: Count,
  alreadyPresent: Count,
  unmatchedCount: Count,
  unmatched: Type.Array(UnmatchedRow, { maxItems: MAX_UNMATCHED_KEPT }),
});
export type ImportProgressedData = Static<typeof ImportProgressedData>;

export const ImportCompletedData = StrictObject({
  importId: ImportId,
  userId: UserId,
  matched: Count,
  imported: Count,
  alreadyPresent: Count,
  unmatchedCount: Count,
});
export type ImportCompletedData = Static<typeof ImportCompletedData>;

export const ImportFailedData = StrictObject({
  importId: ImportId,
  userId: UserId,
  reason: Type.String({ maxLength: 500 }),
});
export type ImportFailedData = Static<typeof ImportFailedData>;
