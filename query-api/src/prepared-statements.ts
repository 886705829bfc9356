import type pg from 'pg';
import type { QuerySqlToken } from 'slonik';

/**
 * Runs a slonik query on a node-postgres pool as a named prepared statement.
 *
 * Sent unnamed, each query is parsed, rewritten (the read views) and planned by PostgreSQL on
 * every request: for the hot single-row reads that is three to four times the cost of executing
 * it (pgbench on GET /me/lists' query: 3,600 against 11,300 per second). Named, a connection
 * parses a query text once and PostgreSQL keeps its plan: the read path's queries are a small
 * fixed set of texts (values are always parameters), so each connection holds a few dozen
 * statements.
 *
 * The query is composed by slonik's tags; it runs here rather than on slonik's pool, whose
 * per-query work (a span per step, a logger and bound methods per connection checkout, a scan
 * of the pool's state) cost query-api a quarter of its CPU per request and doubled the read
 * path's p99 at 1,000 requests/s (bench:live in one sitting, before and after; see README).
 *
 * Two things keep it correct:
 * - The pool never resets its connections (no `DISCARD ALL`): that would drop the statements
 *   node-postgres believes are prepared.
 * - A blue/green swap points a read view at a new table; PostgreSQL re-plans the statements on
 *   its own, but a view whose columns changed answers `cached plan must not change result type`
 *   once per statement and connection: such a query is run again under a new name. (The reads
 *   run outside transactions, so the retry never meets an aborted one.)
 */
export class PreparedStatements {
  readonly #names = new StatementNames();

  constructor(private readonly pool: pg.Pool) {}

  async rows<Row>(query: QuerySqlToken): Promise<Row[]> {
    const { text, values } = asNodePostgres(query);
    const run = () => this.pool.query({ name: this.#names.of(text), text, values });
    try {
      return (await run()).rows as Row[];
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      this.#names.renew(text);
      return (await run()).rows as Row[];
    }
  }
}

/**
 * A slonik query as node-postgres text and values. The tag numbers its placeholders
 * `$slonik_<n>` (so a `$1` inside a nested fragment is not mistaken for one) and its own
 * executor turns them into `$<n>` before sending, as this does.
 */
export const asNodePostgres = (query: QuerySqlToken): { text: string; values: unknown[] } => ({
  text: query.sql.replaceAll('$slonik_', '$'),
  // node-postgres only reads the array; slonik's is typed readonly.
  values: query.values as unknown[],
});

// SQLSTATE 0A000 (feature_not_supported), raised by a prepared statement whose view changed shape.
const isStalePlan = (error: unknown) =>
  (error as { code?: unknown }).code === '0A000' && /cached plan must not change result type/.test(String((error as Error).message));

// Far above the read path's few dozen texts: past it, a text (a bug composing values into SQL,
// say) runs unnamed rather than filling every connection with statements.
const MAX_STATEMENTS = 1000;

/** Statement names by query text: `r<n>`, a new `n` for a text whose plan went stale. */
class StatementNames {
  readonly #names = new Map<string, string>();
  #next = 0;

  of(text: string): string | undefined {
    let name = this.#names.get(text);
    if (name === undefined && this.#names.size < MAX_STATEMENTS) this.#names.set(text, (name = `r${this.#next++}`));
    return name;
  }

  renew(text: string): void {
    this.#names.delete(text);
  }
}
