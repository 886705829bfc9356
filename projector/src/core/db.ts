import pg from 'pg';

// Dates and timestamps stay the strings Postgres sent: rows go back into JSON unchanged, and a
// JS Date would shift a `date` by the process's time zone.
const AS_TEXT = new Set([1082, 1114, 1184]);
export const readModelTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    AS_TEXT.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export function connectionConfig(databaseUrl: string): pg.ClientConfig {
  return {
    connectionString: databaseUrl,
    types: readModelTypes,
    // Lease holders must notice a dead peer; a stuck transaction must not hold back the store's readers.
    keepAlive: true,
    // synchronous_commit off is safe here: the checkpoint commits with the changes, so a commit
    // lost in a crash is simply projected again from the older checkpoint.
    options: '-c idle_in_transaction_session_timeout=30000 -c synchronous_commit=off -c jit=off',
  };
}

export function createReadModelPool(databaseUrl: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ ...connectionConfig(databaseUrl), max });
  // A checked-out client (a lock holder between queries) that loses its connection emits
  // 'error' with no pool listener attached: without this the process would crash. The
  // error surfaces on the client's next query instead, and the pool discards the client.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
