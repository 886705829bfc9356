import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startupProblem } from './startup.ts';

/*
 * The failures come from a real driver against this machine's PostgreSQL: a database that does
 * not exist, a role that does not exist, a port nothing listens on.
 */

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function failureOf(connectionString: string): Promise<unknown> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  return client.connect().then(
    async () => {
      await client.end();
      throw new Error(`${connectionString} connected`);
    },
    (error: unknown) => error,
  );
}

const elsewhere = (change: (url: URL) => void) => {
  const url = new URL(SERVER);
  change(url);
  return url.toString();
};

describe('a start that fails because of where the variables point', () => {
  it('given a database that does not exist, then it says so and how to make it', async () => {
    const error = await failureOf(elsewhere((url) => (url.pathname = '/reeltime_no_such_database')));
    expect(startupProblem(error)).toBe(
      'database "reeltime_no_such_database" does not exist (PostgreSQL). Create it (createdb <name>), or point DATABASE_URL at a database that exists.',
    );
  });

  it('given a role PostgreSQL does not know, then it points at the user and password', async () => {
    const error = await failureOf(elsewhere((url) => (url.username = 'reeltime_no_such_role')));
    expect(startupProblem(error)).toMatch(/^PostgreSQL refused the connection: .*reeltime_no_such_role.*Check the user and password/);
  });

  it('given a port nothing listens on, wrapped by the event store as its cause, then it names the address', async () => {
    const refused = await failureOf(elsewhere((url) => (url.port = '1')));
    const wrapped = new Error('PostgreSQL unavailable while migrating', { cause: refused });
    expect(startupProblem(wrapped)).toMatch(/^nothing accepts connections at \S+:1: is the server/);
  });

  it('given any other failure, then it is not explained away: it is a bug to report', () => {
    expect(startupProblem(new TypeError('x is not a function'))).toBeUndefined();
    expect(startupProblem(undefined)).toBeUndefined();
  });
});
