import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Anything that runs a query: a pool, or the client holding a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema and table names are interpolated into SQL, so only plain identifiers pass. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`invalid SQL identifier: ${name}`);
  return name;
}

export type TableSpec<Row> = {
  table: string;
  /** Columns written by the projector (generated columns excluded). */
  columns: readonly (keyof Row & string)[];
  key: readonly (keyof Row & string)[];
};

const quote = (column: string) => `"${column}"`;

export type Statement = { text: string; values: unknown[] };

/**
 * Stands in for the database while a flush that only writes runs ahead of its transaction:
 * writes are recorded (to be sent in order inside the transaction), the one read a flush
 * makes (a table's column types, once per process) goes to `reader`.
 */
export function statementRecorder(reader: Queryable): { db: Queryable; statements: Statement[] } {
  const statements: Statement[] = [];
  const db = {
    query: (text: string, values: unknown[] = []) => {
      if (/^\s*SELECT\b/i.test(text)) return reader.query(text, values);
      statements.push({ text, values });
      return Promise.resolve({ rows: [], rowCount: 0 });
    },
  } as unknown as Queryable;
  return { db, statements };
}

/** SQL type of every column of a table (`format_type`), read once per table and process. */
const columnTypes = new Map<string, Promise<Map<string, string>>>();

function typesOf(db: Queryable, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (types === undefined) {
    types = db
      .query<{ name: string; type: string }>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        [table],
      )
      .then(({ rows }) => new Map(rows.map((row) => [row.name, row.type])));
    types.catch(() => columnTypes.delete(table));
    columnTypes.set(table, types);
  }
  return types;
}

/** A string as an array element: always quoted (empty, NULL, commas, braces), escaped when needed. */
function element(text: string): string {
  return text.includes('"') || text.includes('\\') ? `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : `"${text}"`;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return element(String(value));
}

/**
 * One column's values as the text of a one-dimensional array literal: built here in one pass
 * (node-pg's generic array serialiser is a large share of a big batch's CPU). A value of an
 * array column becomes its own literal, passed as a text element (unnest cannot take arrays of
 * arrays); JSON values travel as their text.
 */
function arrayParam(values: readonly unknown[], kind: 'scalar' | 'json' | 'array'): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) parts[i] = 'NULL';
    else if (kind === 'json') parts[i] = element(JSON.stringify(value));
    else if (kind === 'array') parts[i] = element(`{${(value as unknown[]).map(scalar).join(',')}}`);
    else parts[i] = scalar(value);
  }
  return `{${parts.join(',')}}`;
}

/**
 * The rows as one array parameter per column, unnested back into rows of the columns' own
 * types: the statement text never depends on the row count, and Postgres parses plain typed
 * arrays rather than a JSON document per row.
 */
async function unnested<Row>(db: Queryable, table: string, columns: readonly (keyof Row & string)[], rows: readonly Row[]) {
  const types = await typesOf(db, table);
  const select: string[] = [];
  const params: string[] = [];
  const values: string[] = [];
  columns.forEach((column, c) => {
    const type = types.get(column);
    if (type === undefined) throw new Error(`${table} has no column ${column}`);
    const alias = `c${c}`;
    const kind = type.endsWith('[]') ? 'array' : type === 'jsonb' || type === 'json' ? 'json' : 'scalar';
    values.push(
      arrayParam(
        rows.map((row) => row[column]),
        kind,
      ),
    );
    if (kind === 'array') {
      params.push(`$${c + 1}::text[]`);
      select.push(`${alias}::${type} AS ${quote(column)}`);
    } else {
      params.push(`$${c + 1}::${type}[]`);
      select.push(`${alias} AS ${quote(column)}`);
    }
  });
  const from = `unnest(${params.join(', ')}) AS u(${columns.map((_, c) => `c${c}`).join(', ')})`;
  return { select: select.join(', '), from, values };
}

/** One statement for any number of rows (see `unnested`); existing keys are overwritten. */
export async function upsertRows<Row>(db: Queryable, schema: string, spec: TableSpec<Row>, rows: readonly Row[]): Promise<void> {
  await writeRows(db, schema, spec, rows, true);
}

/** Like `upsertRows`, but rows whose key exists are left as they are. */
export async function insertRows<Row>(db: Queryable, schema: string, spec: TableSpec<Row>, rows: readonly Row[]): Promise<void> {
  await writeRows(db, schema, spec, rows, false);
}

async function writeRows<Row>(
  db: Queryable,
  schema: string,
  spec: TableSpec<Row>,
  rows: readonly Row[],
  overwrite: boolean,
): Promise<void> {
  if (rows.length === 0) return;
  const table = `${ident(schema)}.${ident(spec.table)}`;
  const columns = spec.columns.map(quote).join(', ');
  const updates = overwrite ? spec.columns.filter((c) => !spec.key.includes(c)).map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`) : [];
  const { select, from, values } = await unnested(db, table, spec.columns, rows);
  await db.query(
    `INSERT INTO ${table} (${columns})
     SELECT ${select} FROM ${from}
     ON CONFLICT (${spec.key.map(quote).join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
    values,
  );
}

export async function deleteRows<Row>(db: Queryable, schema: string, spec: TableSpec<Row>, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const table = `${ident(schema)}.${ident(spec.table)}`;
  const { select, from, values } = await unnested(db, table, spec.key, rows);
  await db.query(
    `DELETE FROM ${table} AS t USING (SELECT ${select} FROM ${from}) AS d
      WHERE ${spec.key.map((k) => `t.${quote(k)} = d.${quote(k)}`).join(' AND ')}`,
    values,
  );
}

/** Writes a table's net changes (deleted and written keys never overlap). */
export async function flushTable<Row>(
  db: Queryable,
  schema: string,
  spec: TableSpec<Row>,
  changes: { upserts: Row[]; deletes: Row[] },
): Promise<void> {
  await deleteRows(db, schema, spec, changes.deletes);
  await upsertRows(db, schema, spec, changes.upserts);
}

/** COPY's text format escapes backslash, newline, carriage return and tab (and spells NULL `\N`). */
const COPY_SPECIAL = /[\\\n\r\t]/;
function copyText(text: string): string {
  if (!COPY_SPECIAL.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

/** Rows per chunk handed to the COPY stream (its backpressure then paces the encoding). */
const COPY_CHUNK = 2000;

/**
 * Plain inserts through COPY (text format), the cheapest way into a table for Postgres and
 * for this process: no per-row conflict check, no array parameters. For rows known to be new
 * (a fresh build's bulk load); any conflict fails the whole COPY.
 */
export async function copyRows<Row>(client: pg.ClientBase, schema: string, spec: TableSpec<Row>, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const table = `${ident(schema)}.${ident(spec.table)}`;
  const types = await typesOf(client, table);
  const encoders = spec.columns.map((column) => {
    const type = types.get(column);
    if (type === undefined) throw new Error(`${table} has no column ${column}`);
    if (type.endsWith('[]')) return (value: unknown) => copyText(`{${(value as unknown[]).map(scalar).join(',')}}`);
    if (type === 'jsonb' || type === 'json') return (value: unknown) => copyText(JSON.stringify(value));
    return (value: unknown) => copyText(String(value));
  });
  const columns = spec.columns;
  function* chunks(): Generator<string> {
    for (let start = 0; start < rows.length; start += COPY_CHUNK) {
      let text = '';
      const end = Math.min(rows.length, start + COPY_CHUNK);
      for (let r = start; r < end; r++) {
        const row = rows[r]!;
        for (let c = 0; c < columns.length; c++) {
          const value = row[columns[c]!];
          text += (c === 0 ? '' : '\t') + (value === null || value === undefined ? '\\N' : encoders[c]!(value));
        }
        text += '\n';
      }
      yield text;
    }
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${table} (${columns.map(quote).join(', ')}) FROM STDIN`)));
}
