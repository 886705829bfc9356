import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';

/*
 * Where integration tests find their services: the environment, else the local defaults,
 * else a container when a runtime exists, else an error that says what to start.
 */
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

let postgresUrl: Promise<string> | undefined;

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function findPostgres(): Promise<string> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    if (await reachable(configured)) return configured;
    throw new Error(`DATABASE_URL=${configured} is not reachable: start PostgreSQL or fix DATABASE_URL`);
  }
  if (await reachable(LOCAL_POSTGRES)) return LOCAL_POSTGRES;
  try {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('postgres:16')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    return `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/test`;
  } catch (error) {
    throw new Error(
      `No PostgreSQL for integration tests: set DATABASE_URL, start one on 127.0.0.1:5432 ` +
        `(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start), or install a container runtime ` +
        `(${(error as Error).message})`,
      { cause: error },
    );
  }
}

export function postgresUrlForTests(): Promise<string> {
  postgresUrl ??= findPostgres();
  return postgresUrl;
}

/** A schema name no other test run uses. */
export function uniqueSchemaName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A TCP port free on 127.0.0.1 right now (for servers a test starts itself). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
