import type { ImportSource } from '@reeltime/schemas';
import { decodeText, readCsv } from './csv.ts';
import { imdbRows, isImdb } from './formats/imdb.ts';
import { isLetterboxd, letterboxdRows } from './formats/letterboxd.ts';
import { claimsReeltimeExport, reeltimeRows } from './formats/reeltime.ts';
import { isTraktItems, parseJson, traktListIndex, traktRows } from './formats/trakt.ts';
import { ImportFileError, type ImportedList, type ImportRow, type ParsedUpload, type UploadedFile } from './rows.ts';
import { isZip, unzipEntries, type ZipLimits } from './zip.ts';

export type UploadLimits = ZipLimits & {
  /** Rows of one upload, all files together. */
  maxRows: number;
};

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxUnpackedBytes: 256 * 1024 * 1024, maxEntries: 2000, maxRows: 250_000 };

const SOURCE_NAMES: Record<ImportSource, string> = { letterboxd: 'Letterboxd', imdb: 'IMDb', trakt: 'Trakt', reeltime: 'Reeltime' };

/**
 * Letterboxd zips hold `deleted/` and `orphaned/` folders (entries the user removed) and files
 * that are not activity (profile, comments, likes): only these are read.
 */
const LETTERBOXD_FILES = /^(?:[^/]+\/)?(?:ratings|diary|watched|watchlist|reviews)\.csv$|^(?:[^/]+\/)?lists\/[^/]+\.csv$/i;
const wantedInZip = (name: string) =>
  !/(^|\/)(__MACOSX|deleted|orphaned|likes)\//i.test(name) &&
  (LETTERBOXD_FILES.test(name) || /\.json$/i.test(name) || /\.csv$/i.test(name));

type Read = { source: ImportSource; rows: ImportRow[] } | undefined;

function readCsvFile(file: UploadedFile): Read {
  const records = readCsv(file.name, decodeText(file.name, file.bytes));
  if (isLetterboxd(records)) return { source: 'letterboxd', rows: letterboxdRows(file.name, records) };
  if (isImdb(records)) return { source: 'imdb', rows: imdbRows(file.name, records) };
  return undefined;
}

/** Diary files first: a diary day then wins over watched.csv's "seen it" for the same film. */
const ORDER = (name: string) => (/diary|history/i.test(name) ? 0 : /watched/i.test(name) ? 2 : 1);

/**
 * Reads an upload (a zip, a CSV or a JSON file) into rows, or throws `ImportFileError` naming
 * the file and line. Nothing is matched or written here: a bad file changes nothing.
 */
export function readUpload(upload: UploadedFile, limits: UploadLimits = DEFAULT_UPLOAD_LIMITS, expected?: ImportSource): ParsedUpload {
  const files = isZip(upload.bytes) ? unzipEntries(upload.name, upload.bytes, limits, wantedInZip) : [upload];
  files.sort((a, b) => ORDER(a.name) - ORDER(b.name) || (a.name < b.name ? -1 : 1));
  const json = files.filter(
    (file) => /\.json$/i.test(file.name) || (files.length === 1 && /^\s*[[{]/.test(decodeText(file.name, file.bytes.subarray(0, 64)))),
  );
  const lists = new Map<string, ImportedList>();
  const parsedJson = json.map((file) => ({ file, value: parseJson(file.name, decodeText(file.name, file.bytes)) }));
  for (const { value } of parsedJson) for (const [slug, list] of traktListIndex(value) ?? []) lists.set(slug, list);

  let source: ImportSource | undefined;
  const rows: ImportRow[] = [];
  const take = (file: UploadedFile, read: Read) => {
    if (read === undefined) return;
    if (source !== undefined && read.source !== source) {
      throw new ImportFileError(
        file.name,
        1,
        `is a ${SOURCE_NAMES[read.source]} file, but this upload is a ${SOURCE_NAMES[source]} export`,
      );
    }
    source = read.source;
    for (const row of read.rows) {
      rows.push(row);
      if (rows.length > limits.maxRows)
        throw new ImportFileError(file.name, row.line, `the upload has more than ${limits.maxRows} rows`, 413);
    }
  };
  for (const file of files) {
    const parsed = parsedJson.find((entry) => entry.file === file);
    if (parsed !== undefined) {
      if (claimsReeltimeExport(parsed.value)) take(file, { source: 'reeltime', rows: reeltimeRows(file.name, parsed.value) });
      else if (isTraktItems(parsed.value)) take(file, { source: 'trakt', rows: traktRows(file.name, parsed.value, lists) });
      else if (files.length === 1 && expected === 'reeltime')
        throw new ImportFileError(file.name, 1, 'is not a Reeltime export (a JSON object whose "format" is "reeltime-export")');
      else if (files.length === 1 && traktListIndex(parsed.value) === undefined)
        throw new ImportFileError(
          file.name,
          1,
          'is not a Trakt export (an array of items with a movie or show) nor a Reeltime export (an object whose "format" is "reeltime-export")',
        );
      continue;
    }
    const read = readCsvFile(file);
    if (read === undefined && files.length === 1) {
      throw new ImportFileError(file.name, 1, 'is not a Letterboxd or IMDb export (its header has neither "Letterboxd URI" nor "Const")');
    }
    take(file, read);
  }
  if (source === undefined) throw new ImportFileError(upload.name, 0, 'holds no Letterboxd, IMDb, Trakt or Reeltime export file');
  if (expected !== undefined && expected !== source) {
    throw new ImportFileError(
      upload.name,
      0,
      `is a ${SOURCE_NAMES[source]} export, not ${SOURCE_NAMES[expected]} as the source field says`,
    );
  }
  return { source, rows };
}
