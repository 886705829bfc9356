import pg from 'pg';

// Dates stay the strings Postgres sent (`YYYY-MM-DD`): a JS Date would shift them by the
// process's time zone. Timestamps are formatted in SQL (ISO 8601) where they are selected.
const AS_TEXT = new Set([1082, 1114, 1184]);
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    AS_TEXT.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export function createReadPool(databaseUrl: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    types,
    keepAlive: true,
    // A query that hangs must not hang the request: 503 instead (api.md: no hung requests).
    // pg_trgm's word-similarity cut-off 0.6 misses a single swapped or dropped letter ("matirx"
    // scores 0.43 against "The Matrix"); 0.4 finds those, and relevance order keeps noise low.
    options: '-c TimeZone=UTC -c statement_timeout=10000 -c pg_trgm.word_similarity_threshold=0.4',
    connectionTimeoutMillis: 5000,
  });
  // A checked-out client that loses its connection between queries must not crash the process
  // (no pool listener is attached then); its next query fails instead.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * Read-model access. Query text names views as `read.<view>`; the schema is configurable
 * (tests run side by side in their own), so the prefix is rewritten once per query text.
 */
export class ReadDb {
  readonly #rewritten = new Map<string, string>();
  readonly #names = new Map<string, string>();

  constructor(
    readonly pool: pg.Pool,
    readonly schema = 'read',
  ) {}

  /** The query text with `read.` pointing at this instance's schema (for cursors and other raw clients). */
  qualify(text: string): string {
    return this.#sql(text);
  }

  #sql(text: string): string {
    let sql = this.#rewritten.get(text);
    if (sql === undefined) {
      sql = this.schema === 'read' ? text : text.replace(/\bread\./g, `"${this.schema}".`);
      this.#rewritten.set(text, sql);
    }
    return sql;
  }

  async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(this.#sql(text), values)).rows;
  }

  /**
   * A named (server-side prepared) statement, for the hot fixed-shape queries: Postgres plans
   * them once per connection instead of on every request.
   */
  async prepared<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    let name = this.#names.get(text);
    if (name === undefined) {
      name = `q${this.#names.size + 1}`;
      this.#names.set(text, name);
    }
    return (await this.pool.query<T>({ name, text: this.#sql(text), values })).rows;
  }
}

/** ISO 8601 text of a timestamptz column, exact to the microsecond (usable in cursors). */
export const iso = (column: string) => `to_json(${column}) #>> '{}'`;
