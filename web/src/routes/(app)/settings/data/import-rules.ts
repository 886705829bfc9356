import type { ImportSource } from '@reeltime/schemas';

// What the upload form checks before anything is sent: in the browser (with JavaScript, before a
// large file travels) and in the form action (without). The API checks the file itself.

/** command-api's upload limit (`POST /imports` answers 413 above it). */
export const IMPORT_LIMIT_BYTES = 32 * 1024 * 1024;

/** The files an export comes as: Letterboxd zip or csv, IMDb csv, Trakt json or zip, Reeltime's own json. */
export const IMPORT_TYPES = ['.zip', '.csv', '.json'] as const;

export const SOURCE_LABELS: Record<ImportSource, string> = {
  letterboxd: 'Letterboxd',
  imdb: 'IMDb',
  trakt: 'Trakt',
  reeltime: 'Reeltime',
};

/** The dependency key of the page's load: the progress view re-reads the import's status through it. */
export const IMPORT_KEY = 'app:import';

/** Said when the upload is too large to have read even the file's name. */
export const TOO_LARGE = 'The file is over 32 MiB, the most an import takes.';

/** Why this file cannot be sent, with the status the action answers, or null when it may go. */
export function fileProblem(file: Pick<File, 'name' | 'size'> | null): { status: 400 | 413 | 415; message: string } | null {
  if (file === null || file.size === 0 || !file.name) return { status: 400, message: 'Choose the file to import.' };
  const name = file.name.toLowerCase();
  if (!IMPORT_TYPES.some((type) => name.endsWith(type)))
    return { status: 415, message: `${file.name}: choose a .zip, .csv or .json file from Letterboxd, IMDb, Trakt or Reeltime.` };
  if (file.size > IMPORT_LIMIT_BYTES) return { status: 413, message: `${file.name}: the file is over 32 MiB, the most an import takes.` };
  return null;
}
