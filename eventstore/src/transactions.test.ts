import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, postgresUrlForTests, uniqueSchemaName } from './testing/services.ts';
import { beginTransaction, inTransaction, onClientInTransaction, rollBack } from './transactions.ts';

describe('transactions', () => {
  let url: string;
  let schema: string;
  let pool: pg.Pool;

  beforeAll(async () => {
    url = await postgresUrlForTests();
    schema = uniqueSchemaName('tx');
    pool = new pg.Pool({ connectionString: url, max: 2 });
    await pool.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.notes (note text PRIMARY KEY)`);
  });
  afterAll(async () => {
    await pool?.end();
    await dropSchema(url, schema);
  });

  const notes = async () => (await pool.query<{ note: string }>(`SELECT note FROM ${schema}.notes ORDER BY note`)).rows.map((r) => r.note);
  const write = (db: Pick<pg.ClientBase, 'query'>, note: string) => db.query(`INSERT INTO ${schema}.notes (note) VALUES ($1)`, [note]);

  it('commits what the work wrote when it returns, and answers its value', async () => {
    // Given a transaction whose work writes a note
    // When the work returns
    const answer = await inTransaction(pool, async (client) => {
      await write(client, 'committed');
      return 42;
    });
    // Then the note stays and the value comes back
    expect(answer).toBe(42);
    expect(await notes()).toContain('committed');
  });

  it('rolls back and rethrows when the work throws', async () => {
    const failure = new Error('work failed');
    // Given work that writes a note and then throws
    const attempt = inTransaction(pool, async (client) => {
      await write(client, 'thrown');
      throw failure;
    });
    // Then the same error comes out and the note is gone
    await expect(attempt).rejects.toBe(failure);
    expect(await notes()).not.toContain('thrown');
  });

  it('rolls back and still answers a value when the work returns rollBack(value)', async () => {
    // Given work that writes a note and then finds its compare-and-set lost
    const answer = await inTransaction(pool, async (client) => {
      await write(client, 'rolled back');
      const lost: boolean = true;
      if (lost) return rollBack('lost');
      return 'won';
    });
    // Then the transaction answers the rollback's value and the note is gone
    expect(answer).toBe('lost');
    expect(await notes()).not.toContain('rolled back');
  });

  it('reports the work’s error, not the failed rollback, when the connection died, and discards the connection', async () => {
    const failure = new Error('work failed');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // Given work whose connection is terminated before it throws
      const attempt = inTransaction(pool, async (client) => {
        client.on('error', () => {}); // the termination notice; the failed ROLLBACK is what the test is about
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        throw failure;
      });
      // Then the work's own error comes out, not the ROLLBACK's
      await expect(attempt).rejects.toBe(failure);
      // And the dead connection is not handed out again
      expect(await inTransaction(pool, async (client) => (await client.query('SELECT 1 AS one')).rows[0].one)).toBe(1);
    } finally {
      await admin.end();
    }
  });

  it('begins with the isolation level and access mode asked for', async () => {
    // Given a repeatable read, read only transaction
    const seen = await inTransaction(pool, { isolation: 'repeatable read', readOnly: true }, async (client) => {
      const isolation = (await client.query('SHOW transaction_isolation')).rows[0].transaction_isolation;
      const readOnly = (await client.query('SHOW transaction_read_only')).rows[0].transaction_read_only;
      // When it tries to write
      const writing = await write(client, 'read only').then(
        () => 'written',
        (error: { code?: string }) => error.code,
      );
      return { isolation, readOnly, writing };
    });
    // Then Postgres refused the write (25006: read-only transaction)
    expect(seen).toEqual({ isolation: 'repeatable read', readOnly: 'on', writing: '25006' });
  });

  it('runs on a client the caller holds, which stays usable after a rollback', async () => {
    const client = await pool.connect();
    try {
      // Given a held client whose first transaction rolls back
      const first = await onClientInTransaction(client, async () => {
        await write(client, 'held, rolled back');
        return rollBack(false);
      });
      // When a second transaction commits on it
      const second = await onClientInTransaction(client, { isolation: 'serializable' }, async (db) => {
        await write(db, 'held, committed');
        return true;
      });
      // Then only the second one's note stays
      expect([first, second]).toEqual([false, true]);
      expect(await notes()).toEqual(expect.arrayContaining(['held, committed']));
      expect(await notes()).not.toContain('held, rolled back');
    } finally {
      client.release();
    }
  });

  it('keeps a begun transaction open until it is ended', async () => {
    const client = await pool.connect();
    try {
      // Given a transaction begun by hand
      const transaction = await beginTransaction(client, { isolation: 'repeatable read' });
      await write(client, 'open');
      // Then others do not see its write until it commits
      expect(await notes()).not.toContain('open');
      await transaction.commit();
      expect(await notes()).toContain('open');
    } finally {
      client.release();
    }
  });
});
