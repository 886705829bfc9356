import { createDriverFactory, type DriverCommand, type DriverFactory, type DriverStream, type DriverStreamResult } from '@slonik/driver';
import pg from 'pg';

/**
 * A slonik driver over node-postgres that runs every query as a named prepared statement.
 *
 * slonik's own pg driver sends each query as an unnamed statement, so PostgreSQL parses,
 * rewrites (the read views) and plans it on every request: for the hot single-row reads that
 * is three to four times the cost of executing it (pgbench on GET /me/lists' query: 3,600
 * against 11,300 per second). Named, a connection parses a query text once and PostgreSQL
 * keeps its plan: the read path's queries are a small fixed set of texts (values are always
 * parameters), so each connection holds a few dozen statements.
 *
 * Two things keep it correct:
 * - Connections are never reset with `DISCARD ALL` (db.ts): that would drop the statements
 *   node-postgres believes are prepared.
 * - A blue/green swap points a read view at a new table; PostgreSQL re-plans the statements
 *   on its own, but a view whose columns changed answers `cached plan must not change result
 *   type` once per statement and connection: such a query is run again under a new name.
 *   (The reads run outside transactions, so the retry never meets an aborted one.)
 */
export function createPreparedPgDriverFactory(clientConfig: pg.ClientConfig): DriverFactory {
  const names = new StatementNames();
  return createDriverFactory(async () => ({
    createPoolClient: async ({ clientEventEmitter }) => {
      const client = new pg.Client(clientConfig);
      const onError = (error: Error) => clientEventEmitter.emit('error', error);
      const onNotice = (notice: { message?: string }) => notice.message && clientEventEmitter.emit('notice', { message: notice.message });
      client.on('error', onError);
      client.on('notice', onNotice);
      const run = (text: string, values: unknown[] | undefined) => client.query({ name: names.of(text), text, values });
      return {
        connect: async () => {
          await client.connect();
        },
        end: async () => {
          await client.end();
          client.off('error', onError);
          client.off('notice', onNotice);
        },
        query: async (text, values) => {
          let result: pg.QueryResult;
          try {
            result = await run(text, values);
          } catch (error) {
            if (!isStalePlan(error)) throw error;
            names.renew(text);
            result = await run(text, values);
          }
          return {
            command: result.command as DriverCommand,
            fields: result.fields.map((field) => ({ dataTypeId: field.dataTypeID, name: field.name })),
            rowCount: result.rowCount,
            rows: result.rows as Record<string, unknown>[],
          };
        },
        stream: (): DriverStream<DriverStreamResult> => {
          // Exports stream through ReadDb.exportPool (a snapshot that outlives one callback).
          throw new Error('query-api reads no slonik streams: exports use ReadDb.exportPool');
        },
      };
    },
  }));
}

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
