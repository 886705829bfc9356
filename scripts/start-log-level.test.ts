import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresUrlForTests, uniqueSchemaName } from '@reeltime/eventstore/testing';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * `npm start` for real at LOG_LEVEL=warn, with ingest given a bad variable: the start script
 * prepares the event store (its "event store ready" is an info line), starts the services, and
 * stops them all once ingest exits 2, with that code. No process prints a line below warn.
 */
describe('npm start', { timeout: 90_000 }, () => {
  const base = uniqueSchemaName('start_lvl');
  let url: string | undefined;

  afterAll(async () => {
    if (!url) return;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)', [base]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
    await client.end();
  });

  it('given LOG_LEVEL=warn, when a service refuses its configuration, then every process logs only warnings and up and npm start exits with its code', async () => {
    url = await postgresUrlForTests();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: 'warn',
      DATABASE_URL: url,
      EVENTSTORE_SCHEMA: `${base}_es`,
      COMMAND_SCHEMA: `${base}_cmd`,
      PROJECTOR_SCHEMA: `${base}_core`,
      READ_SCHEMA: `${base}_read`,
      PROJECTOR_SCHEMA_PREFIX: `${base}_rm_`,
      INGEST_SCHEMA: `${base}_ingest`,
      LIVE_SUBJECT_PREFIX: base,
      JWT_SECRET: 'a-test-secret-of-more-than-32-characters',
      // Ports of their own (0: any free one), so nothing running here is disturbed.
      COMMAND_API_PORT: '0',
      QUERY_API_PORT: '0',
      PROJECTOR_PORT: '0',
      INGEST_PAGES: 'x',
    };
    delete env.TMDB_READ_ACCESS_TOKEN;
    delete env.TMDB_API_KEY;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(output).toContain('INGEST_PAGES="x": must be a whole number');
    expect(code, output).toBe(2);
    const entries = output.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as { level: number; name?: string; msg?: string }];
      } catch {
        return [];
      }
    });
    expect(entries).toContainEqual(
      expect.objectContaining({ name: 'reeltime-start', level: 50, msg: 'service stopped; stopping the others' }),
    );
    expect(entries.filter((entry) => entry.level < 40)).toEqual([]);
  });
});
