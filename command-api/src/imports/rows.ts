import type { ImportSource, ListItemNote, ListVisibility, MediaType, PreferencesView, Review } from '@reeltime/schemas';

/** A file of an upload (the upload itself, or one entry of its zip). */
export type UploadedFile = { name: string; bytes: Uint8Array };

/** A list as the export describes it; `key` is stable across exports of the same list. */
export type ImportedList = {
  key: string;
  name: string;
  description: string;
  /** Only Reeltime's export says; the other sources' lists arrive private. */
  visibility?: ListVisibility;
  /** The list's own id and owner (Reeltime's export): imported back into that account, it is the same list, not a copy. */
  own?: { listId: string; ownerId: string };
};

/** The preference sections an export holds (empty ones are left as the account has them). */
export type ImportedPreferences = Pick<PreferencesView, 'genres' | 'people' | 'languages' | 'mediaTypes'>;

/** What one row asks for, once its title is known. */
export type RowAction =
  /** A rating (1-10) and, from a review export, its review. */
  | { kind: 'rating'; score: number; review?: Review; containsSpoilers?: boolean }
  /** A review without its own score: the rating it belongs to comes from another row or exists already. */
  | { kind: 'review'; review: Review; containsSpoilers?: boolean }
  /** A diary entry on a real day; `score` is the rating given with it (Letterboxd's diary). */
  | { kind: 'watch'; watchedOn: string; rewatch: boolean; score?: number }
  /** "Seen it" without a diary day: a diary entry on `watchedOn` only when the title has none yet. */
  | { kind: 'watched'; watchedOn: string }
  | { kind: 'watchlist'; note?: ListItemNote }
  | { kind: 'list'; list: ImportedList; position: number; note?: ListItemNote }
  /** A list itself, so one without items arrives too (Reeltime's export): a row that names no title. */
  | { kind: 'listHead'; list: ImportedList }
  /** The account's preferences (Reeltime's export): a row that names no title. */
  | { kind: 'preferences'; preferences: ImportedPreferences };

/** One row of an export, before matching. */
export type ImportRow = {
  file: string;
  line: number;
  /** What the row names, for the report: `Alien (1979)`. */
  text: string;
  /** The source's own identity of the row, stable across exports (e.g. Letterboxd's entry URI). */
  key: string;
  tmdbId?: number;
  imdbId?: string;
  mediaType?: MediaType;
  name?: string;
  year?: number;
  action: RowAction;
  /** Set by the reader when the row can never be imported (an episode, a bad date): reported as is. */
  problem?: string;
};

export type ParsedUpload = { source: ImportSource; rows: ImportRow[] };

/** Bad input: answered 400 naming the file and the line (1 = the first line; 0 = the file as a whole). */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
  }
}

export const describeTitle = (name: string | undefined, year: number | undefined) =>
  name === undefined ? '(no name)' : year === undefined ? name : `${name} (${year})`;
