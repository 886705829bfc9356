import pg from 'pg';
import type { Logger } from 'pino';

/**
 * The pool of the command side's tables (accounts, sessions, idempotency keys, imports), as
 * command-api's process and the test stacks open it.
 */
export function createCommandPool(databaseUrl: string, max: number, log: Logger): pg.Pool {
  // A connection that cannot be made in 5 s is an outage (503), not a request left hanging.
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5000 });
  // An idle connection the server closes is logged, not an uncaught error.
  pool.on('error', (error) => log.warn({ err: error }, 'command database'));
  // A checked-out client losing its connection between queries: its next query fails, no crash.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
