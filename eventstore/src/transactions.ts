import type pg from 'pg';

/*
 * The one place that writes BEGIN, COMMIT and ROLLBACK. Every package that talks to Postgres
 * depends on this one (which depends on nothing of ours but the schemas), so all of them can
 * import it without a cycle.
 */

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export type TransactionOptions = {
  /** Postgres's default (read committed) unless given. */
  isolation?: IsolationLevel;
  readOnly?: boolean;
};

type Queryable = Pick<pg.ClientBase, 'query'>;

/** What `work` returns to end its transaction with ROLLBACK and still answer `value` (a lost compare-and-set, say). */
export class RolledBack<T> {
  // Makes the class nominal: no other object with a `value` passes for a rollback.
  readonly #rolledBack = true;
  constructor(readonly value: T) {}
  static is<T>(result: T | RolledBack<T>): result is RolledBack<T> {
    return typeof result === 'object' && result !== null && #rolledBack in result;
  }
}

/** `return rollBack(value)` from a transaction's work: nothing it wrote stays, and the transaction answers `value`. */
export function rollBack<T>(value: T): RolledBack<T> {
  return new RolledBack(value);
}

export type Work<C, T> = (client: C) => Promise<T | RolledBack<T>>;

/** A transaction begun on a client the caller holds, ended by exactly one of these. */
export type OpenTransaction = {
  commit(): Promise<void>;
  rollback(): Promise<void>;
};

/**
 * Begins a transaction that outlives one call (an export's snapshot, held while it streams).
 * Where the transaction fits in one function, `inTransaction` or `onClientInTransaction` end it
 * whatever happens; prefer them.
 */
export async function beginTransaction(client: Queryable, options: TransactionOptions = {}): Promise<OpenTransaction> {
  let begin = 'BEGIN';
  if (options.isolation !== undefined) begin += ` ISOLATION LEVEL ${ISOLATION[options.isolation]}`;
  if (options.readOnly) begin += ' READ ONLY';
  await client.query(begin);
  return {
    commit: async () => void (await client.query('COMMIT')),
    rollback: async () => void (await client.query('ROLLBACK')),
  };
}

// Spelled out here so that only these exact words ever reach the statement.
const ISOLATION: Record<IsolationLevel, string> = {
  'read committed': 'READ COMMITTED',
  'repeatable read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
};

/**
 * Runs `work` in one transaction on a client of `pool`: committed when it returns, rolled back
 * when it throws or returns `rollBack(value)`. A client whose rollback failed is discarded.
 */
export async function inTransaction<T>(pool: Pick<pg.Pool, 'connect'>, work: Work<pg.PoolClient, T>): Promise<T>;
export async function inTransaction<T>(
  pool: Pick<pg.Pool, 'connect'>,
  options: TransactionOptions,
  work: Work<pg.PoolClient, T>,
): Promise<T>;
export async function inTransaction<T>(
  pool: Pick<pg.Pool, 'connect'>,
  ...args: [Work<pg.PoolClient, T>] | [TransactionOptions, Work<pg.PoolClient, T>]
): Promise<T> {
  const [options, work] = args.length === 1 ? [{}, args[0]] : args;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await run(client, options, work, (error) => (broken = error));
  } finally {
    client.release(broken);
  }
}

/** The same on a client the caller holds (a lease's own connection). */
export async function onClientInTransaction<C extends Queryable, T>(client: C, work: Work<C, T>): Promise<T>;
export async function onClientInTransaction<C extends Queryable, T>(client: C, options: TransactionOptions, work: Work<C, T>): Promise<T>;
export async function onClientInTransaction<C extends Queryable, T>(
  client: C,
  ...args: [Work<C, T>] | [TransactionOptions, Work<C, T>]
): Promise<T> {
  const [options, work] = args.length === 1 ? [{}, args[0]] : args;
  return run(client, options, work, () => {});
}

async function run<C extends Queryable, T>(
  client: C,
  options: TransactionOptions,
  work: Work<C, T>,
  onRollbackFailed: (error: Error) => void,
): Promise<T> {
  const transaction = await beginTransaction(client, options);
  let result: T | RolledBack<T>;
  try {
    result = await work(client);
    if (!RolledBack.is(result)) {
      await transaction.commit();
      return result;
    }
  } catch (error) {
    // The work's error is the one worth reporting: a rollback that fails too (the connection is
    // gone) only means the connection must not be reused.
    await transaction.rollback().catch(onRollbackFailed);
    throw error;
  }
  await transaction.rollback().catch((error: Error) => {
    onRollbackFailed(error);
    throw error;
  });
  return result.value;
}
