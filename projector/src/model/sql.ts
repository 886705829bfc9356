import type pg from 'pg';

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

/**
 * One statement for any number of rows: they travel as one JSON array and Postgres turns it
 * into rows of the table's own type, so the statement text never depends on the row count.
 */
export async function upsertRows<Row>(db: Queryable, schema: string, spec: TableSpec<Row>, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const table = `${ident(schema)}.${ident(spec.table)}`;
  const columns = spec.columns.map(quote).join(', ');
  const updates = spec.columns.filter((c) => !spec.key.includes(c)).map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`);
  await db.query(
    `INSERT INTO ${table} (${columns})
     SELECT ${columns} FROM json_populate_recordset(NULL::${table}, $1::json)
     ON CONFLICT (${spec.key.map(quote).join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
    [JSON.stringify(rows)],
  );
}

export async function deleteRows<Row>(db: Queryable, schema: string, spec: TableSpec<Row>, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const table = `${ident(schema)}.${ident(spec.table)}`;
  const keys = rows.map((row) => Object.fromEntries(spec.key.map((k) => [k, row[k]])));
  await db.query(
    `DELETE FROM ${table} AS t USING json_populate_recordset(NULL::${table}, $1::json) AS d
      WHERE ${spec.key.map((k) => `t.${quote(k)} = d.${quote(k)}`).join(' AND ')}`,
    [JSON.stringify(keys)],
  );
}

/** Writes a table's net changes (deleted and written keys never overlap). */
export async function flushTable<Row>(db: Queryable, schema: string, spec: TableSpec<Row>, changes: { upserts: Row[]; deletes: Row[] }): Promise<void> {
  await deleteRows(db, schema, spec, changes.deletes);
  await upsertRows(db, schema, spec, changes.upserts);
}
