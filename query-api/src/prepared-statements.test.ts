import pg from 'pg';
import { sql } from 'slonik';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrlForTests, uniqueSchemaName } from '@reeltime/eventstore/testing';
import { ReadDb } from './db.ts';

// ReadDb's reads run as named prepared statements (PreparedStatements): one connection, so what
// one query prepared is there for the next.
describe('reads as named prepared statements', () => {
  const schema = uniqueSchemaName('prep');
  let url: string;
  let admin: pg.Client;
  let db: ReadDb;

  beforeAll(async () => {
    url = await postgresUrlForTests();
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"; CREATE VIEW "${schema}".v AS SELECT 1 AS a, now()::date AS d`);
    db = new ReadDb({ databaseUrl: url, schema, poolSize: 1 });
  });

  afterAll(async () => {
    await db?.end();
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin?.end();
  });

  const view = () => sql.identifier([schema, 'v']);
  const prepared = async () =>
    (
      await db.any<{ statement: string }>(
        sql.unsafe`SELECT statement FROM pg_prepared_statements WHERE statement LIKE ${`%"${schema}"."v"%`}::text`,
      )
    ).map((row) => row.statement);

  it('prepares a query text once per connection and keeps the types read models rely on', async () => {
    const first = await db.any<{ a: number; d: string }>(sql.unsafe`SELECT * FROM ${view()} WHERE a = ${1}::int`);
    const second = await db.any<{ a: number; d: string }>(sql.unsafe`SELECT * FROM ${view()} WHERE a = ${2}::int`);
    expect(first).toHaveLength(1);
    expect(second).toEqual([]);
    // A date stays the text PostgreSQL sent, not a Date shifted by the process's time zone.
    expect(first[0]!.d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await prepared()).toEqual([`SELECT * FROM "${schema}"."v" WHERE a = $1::int`]);
  });

  it('answers after a view changed shape under a prepared statement (a blue/green swap)', async () => {
    const read = () => db.any<Record<string, unknown>>(sql.unsafe`SELECT * FROM ${view()}`);
    expect(Object.keys((await read())[0]!)).toEqual(['a', 'd']);
    await admin.query(`DROP VIEW "${schema}".v; CREATE VIEW "${schema}".v AS SELECT 1 AS a, 2 AS b`);
    expect(await read()).toEqual([{ a: 1, b: 2 }]);
    expect(await read()).toEqual([{ a: 1, b: 2 }]);
  });

  it('reports a query error as PostgreSQL gave it', async () => {
    await expect(db.any(sql.unsafe`SELECT * FROM ${view()} WHERE a = ${'x'}::int`)).rejects.toMatchObject({ code: '22P02' });
  });
});
