import { isStorableText, TEXT_FORMAT_MESSAGE } from '@reeltime/schemas';
import { parse } from 'csv-parse/sync';
import { ImportFileError } from './rows.ts';

export type CsvRecord = { line: number; fields: string[] };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file as text: UTF-8 only (a leading BOM is dropped); anything else is named, not guessed. */
export function decodeText(file: string, bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ImportFileError(file, 0, 'is not UTF-8 text');
  }
}

/**
 * Every record of a CSV file with the line it starts on. BOM, CRLF and quoted line breaks are
 * fine; broken quoting is an error naming the line. Records may differ in length (Letterboxd's
 * list files have two header blocks): `table` checks the length per block.
 */
export function readCsv(file: string, text: string): CsvRecord[] {
  let records: CsvRecord[];
  try {
    const parsed = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    records = parsed.map(({ record, info }) => {
      let breaks = 0;
      for (const field of record) for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) breaks++;
      return { line: info.lines - breaks, fields: record };
    });
  } catch (error) {
    const { lines, code } = error as { lines?: number; code?: string };
    const reason = code?.includes('QUOTE') ? 'broken quoting' : 'not valid CSV';
    throw new ImportFileError(
      file,
      typeof lines === 'number' ? lines : 0,
      `${reason} (${(error as Error).message.replace(/ at line \d+.*$/, '')})`,
    );
  }
  // A NUL (valid UTF-8) would reach a review, a list name or the import's report and be refused
  // by PostgreSQL in the background: the file is refused now, naming where it is.
  if (!isStorableText(text)) {
    for (const { line, fields } of records) {
      const column = fields.findIndex((field) => !isStorableText(field));
      if (column >= 0) throw new ImportFileError(file, line, `column ${column + 1} ${TEXT_FORMAT_MESSAGE}`);
    }
  }
  return records;
}

/** A block of records under a header row: each record read by column name. */
export type CsvTable = { header: CsvRecord; rows: { line: number; get(column: string): string }[] };

/**
 * Reads `records` under `header` (its first record unless given), requiring `required` columns
 * and exactly as many fields per row as the header has.
 */
export function table(file: string, records: CsvRecord[], required: readonly string[]): CsvTable {
  const [header, ...body] = records;
  if (header === undefined) throw new ImportFileError(file, 1, 'is empty');
  const index = new Map(header.fields.map((name, i) => [name.trim(), i]));
  const missing = required.filter((column) => !index.has(column));
  if (missing.length > 0)
    throw new ImportFileError(file, header.line, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const rows = body.map((record) => {
    if (record.fields.length !== header.fields.length) {
      throw new ImportFileError(file, record.line, `has ${record.fields.length} fields where the header has ${header.fields.length}`);
    }
    return { line: record.line, get: (column: string) => (index.has(column) ? record.fields[index.get(column)!]!.trim() : '') };
  });
  return { header, rows };
}

export const headerOf = (records: CsvRecord[]) => new Set((records[0]?.fields ?? []).map((name) => name.trim()));

/** The first character of a cell that an export escapes with `'`: = + - @, tab, CR, and their full-width forms. */
const FORMULA_ESCAPED = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A cell as it was before an export kept a spreadsheet from running it as a formula (OWASP's
 * advice, which Reeltime's own Letterboxd export follows: `=1+1` is written `'=1+1`). A `'`
 * before anything else is the cell's own (`'Round Midnight`).
 */
export const unescapeFormula = (cell: string): string => (FORMULA_ESCAPED.test(cell) ? cell.slice(1) : cell);
