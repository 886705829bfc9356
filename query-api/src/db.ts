import pg from 'pg';
import { sql, type FragmentSqlToken, type IdentifierSqlToken, type QuerySqlToken } from 'slonik';
import { z } from 'zod';
import { PreparedStatements } from './prepared-statements.ts';

// Session settings of every read connection. pg_trgm's word-similarity cut-off 0.6 misses a
// single swapped or dropped letter ("matirx" scores 0.43 against "The Matrix"); 0.4 finds
// those, and relevance order keeps noise low.
const SESSION_OPTIONS = '-c TimeZone=UTC -c pg_trgm.word_similarity_threshold=0.4';
// A query that hangs must not hang the request: 503 instead (api.md: no hung requests).
const STATEMENT_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Dates and timestamps (by type oid: date, timestamp, timestamptz) stay the strings Postgres
 * sent (`YYYY-MM-DD`): a JS Date would shift a date by the process's time zone. Timestamps are
 * formatted in SQL (ISO 8601, `iso`) where they are selected. Everything else keeps pg's
 * parsing: int8 and numeric as strings, floats and int4 as numbers, json parsed (slonik's own
 * preset would turn int8 and numeric into numbers).
 */
const AS_TEXT_OIDS = new Set([1082, 1114, 1184]);
const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    AS_TEXT_OIDS.has(oid)
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** The read models' views; `db.read.titles` is `"<schema>"."titles"`. */
const VIEWS = [
  'titles',
  'title_stats',
  'genres',
  'users',
  'ratings',
  'diary',
  'preferences',
  'lists',
  'list_items',
  'feed',
  'imports',
  'recommendation_lists',
  'similar_titles',
  'live_updates',
  'projection_positions',
] as const;
export type ReadViews = { readonly [view in (typeof VIEWS)[number]]: IdentifierSqlToken };

export type ReadDbOptions = {
  databaseUrl: string;
  /** The read models' schema (tests run side by side in their own). */
  schema?: string;
  poolSize?: number;
  /** A connection failure nobody waits for (the server went away between queries). */
  onError?: (error: Error) => void;
};

/**
 * Read-model access: queries are slonik tokens naming views through `read` (identifiers, not
 * text rewriting), run as named prepared statements on a node-postgres pool (see
 * PreparedStatements). The pool connects on demand, so query-api starts, and answers 503,
 * while PostgreSQL is away.
 */
export class ReadDb {
  readonly read: ReadViews;
  /**
   * For export snapshots only: an export holds one transaction open across many reads paced by
   * a slow download (pg-cursor batches read on demand), opened by the route and closed whenever
   * the download ends; apart from the request path's pool, so a long export never holds a
   * connection the reads wait for.
   */
  readonly exportPool: pg.Pool;
  readonly #readPool: pg.Pool;
  readonly #statements: PreparedStatements;

  constructor(options: ReadDbOptions) {
    const schema = options.schema ?? 'read';
    this.read = Object.fromEntries(VIEWS.map((view) => [view, sql.identifier([schema, view])])) as Record<
      keyof ReadViews,
      IdentifierSqlToken
    >;
    const clientConfig: pg.ClientConfig = {
      connectionString: options.databaseUrl,
      types: PG_TYPES,
      keepAlive: true,
      options: `${SESSION_OPTIONS} -c statement_timeout=${STATEMENT_TIMEOUT_MS}`,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    };
    const pool = (config: pg.PoolConfig) => {
      const made = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10, ...config });
      made.on('error', (error) => options.onError?.(error));
      // A checked-out client that loses its connection between queries must not crash the
      // process (no pool listener is attached then); its next query fails instead.
      made.on('connect', (client) => client.on('error', () => {}));
      return made;
    };
    this.#readPool = pool({ idleTimeoutMillis: 10_000 });
    this.exportPool = pool({});
    this.#statements = new PreparedStatements(this.#readPool);
  }

  /** The rows of `query`, typed as the caller's row type (nothing checks them). */
  any<Row>(query: QuerySqlToken): Promise<Row[]> {
    return this.#statements.rows<Row>(query);
  }

  async end(): Promise<void> {
    await Promise.allSettled([this.#readPool.end(), this.exportPool.end()]);
  }
}

/**
 * The tag of every read query: slonik's `sql.unsafe` (rows typed by the caller, `ReadDb.any<Row>`)
 * with one shared row parser, where `sql.unsafe` makes a new `z.any()` for every query (~1.6 KB
 * and a few µs per request). The parser never runs: ReadDb hands the rows back as they came.
 */
export const readQuery = sql.type(z.any());

/** An optional part of a query left out: one constant rather than a new empty fragment per request. */
export const NOTHING = sql.fragment``;

/** ISO 8601 text of a timestamptz column (`name` or `alias.name`), exact to the microsecond (usable in cursors). */
export const iso = (column: string): FragmentSqlToken => sql.fragment`to_json(${sql.identifier(column.split('.'))}) #>> '{}'`;
