import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * Every entry point, started for real with bad variables: each stops before touching anything,
 * with exit code 2 and one message naming every bad variable and its value, no stack trace, and
 * no secret.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRETS = { JWT_SECRET: 'hunter2-too-short', TMDB_API_KEY: 'tmdb-key-hunter3', DEMO_PASSWORD: 'hunter6' };

type Outcome = { code: number | null; stdout: string; stderr: string };

function run(entry: string, env: Record<string, string>, args: string[] = []): Promise<Outcome> {
  // Only what a node process needs, so nothing from the test's own environment fills a gap.
  const base = { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp' };
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

function expectRefused(outcome: Outcome, service: string, lines: string[]): void {
  expect(outcome.code, outcome.stderr).toBe(2);
  expect(outcome.stderr).toContain(`${service}: ${lines.length} environment variables are not valid`);
  for (const line of lines) expect(outcome.stderr).toContain(`  - ${line}`);
  // No stack trace, and no secret anywhere in what the process printed.
  expect(outcome.stderr).not.toMatch(/^\s+at /m);
  for (const secret of [...Object.values(SECRETS), 'hunter4', 'hunter5']) expect(outcome.stdout + outcome.stderr).not.toContain(secret);
}

describe('entry points with bad variables', { timeout: 60_000 }, () => {
  it('command-api names each, hides the JWT secret and the database password', async () => {
    const outcome = await run('command-api/src/main.ts', {
      JWT_SECRET: SECRETS.JWT_SECRET,
      DATABASE_URL: 'mysql://app:hunter4@db/app',
      COMMAND_API_PORT: '80a',
      RATE_LIMIT_PER_MINUTE: '0',
      AUTH_ATTEMPTS_PER_MINUTE: '',
    });
    expectRefused(outcome, 'command-api', [
      'DATABASE_URL="mysql://app:***@db/app": is not in the expected form',
      'JWT_SECRET (a secret of 17 characters, not shown): must be at least 32 characters long',
      'COMMAND_API_PORT="80a": must be a whole number',
      'RATE_LIMIT_PER_MINUTE="0": must be at least 1',
    ]);
  });

  it('query-api names a missing secret, a bad pool size and a bad NATS URL without its password', async () => {
    const outcome = await run('query-api/src/main.ts', {
      QUERY_POOL_SIZE: '0',
      NATS_URL: 'http://me:hunter5@nats:4222',
      TRUST_PROXY: 'true',
    });
    expectRefused(outcome, 'query-api', [
      'NATS_URL="http://me:***@nats:4222/": is not in the expected form',
      'JWT_SECRET: is required but not set',
      'QUERY_POOL_SIZE="0": must be at least 1',
      'TRUST_PROXY="true": true would let any client choose its address',
    ]);
  });

  it('the projector and npm run replay', async () => {
    const env = { PROJECTOR_BULK_LOAD: 'maybe', PROJECTOR_BATCH_SIZE: '-1', EVENT_STORE: 'esdb', LOG_LEVEL: 'loud' };
    const lines = [
      'LOG_LEVEL="loud": must be one of fatal, error, warn, info, debug, trace, silent',
      'PROJECTOR_BATCH_SIZE="-1": must be at least 1',
      'PROJECTOR_BULK_LOAD="maybe": must be one of 1, true, yes, on, 0, false, no, off',
      'EVENTSTORE_URL: is required with EVENT_STORE=esdb',
    ];
    const [projector, replay] = await Promise.all([run('projector/src/main.ts', env), run('projector/src/replay-cli.ts', env)]);
    expectRefused(projector, 'projector', lines);
    expectRefused(replay, 'npm run replay', lines);
  });

  it('ingest and npm run ingest: an empty INGEST_INTERVAL is unset, a bad one is named, the TMDb key is hidden', async () => {
    const service = await run('ingest/src/main.ts', {
      INGEST_INTERVAL: '',
      TMDB_API_KEY: SECRETS.TMDB_API_KEY,
      TMDB_RATE_LIMIT: '-1',
      INGEST_DEMO_COMMUNITY: 'maybe',
    });
    expectRefused(service, 'ingest', ['TMDB_RATE_LIMIT="-1": must be at least 0', 'INGEST_DEMO_COMMUNITY="maybe": must be one of']);
    const cli = await run('ingest/src/cli.ts', { INGEST_INTERVAL: '10ms', INGEST_PAGES: 'all', TMDB_API_KEY: SECRETS.TMDB_API_KEY }, [
      '--source',
      'demo',
    ]);
    expectRefused(cli, 'npm run ingest', ['INGEST_PAGES="all": must be a whole number', 'INGEST_INTERVAL="10ms": must be at least 1s']);
  });

  it('npm run ingest and npm run replay with a bad argument: exit 2, one line naming it, no stack trace', async () => {
    const env = { TMDB_API_KEY: SECRETS.TMDB_API_KEY };
    const [pages, source, replay] = await Promise.all([
      run('ingest/src/cli.ts', env, ['--pages', 'all']),
      run('ingest/src/cli.ts', env, ['--source', 'netflix']),
      run('projector/src/replay-cli.ts', env, ['--projections', 'activity']),
    ]);
    const expected: [Outcome, string][] = [
      [pages, 'npm run ingest: --pages must be an integer >= 0, not "all"\n'],
      [source, 'npm run ingest: --source must be tmdb, demo or movielens, not "netflix"\n'],
      [replay, "npm run replay: Unknown option '--projections'"],
    ];
    for (const [outcome, message] of expected) {
      expect(outcome.code, outcome.stderr).toBe(2);
      expect(outcome.stderr.startsWith(message)).toBe(true);
      expect(outcome.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('npm start checks its own variables before it starts anything', async () => {
    const outcome = await run('scripts/start.ts', {
      JWT_SECRET: SECRETS.JWT_SECRET,
      QUERY_API_PORT: 'x',
      COMMAND_API_URL: 'localhost:4001',
      EVENTSTORE_POOL_SIZE: '0',
    });
    expectRefused(outcome, 'npm start', [
      'EVENTSTORE_POOL_SIZE="0": must be at least 1',
      'QUERY_API_PORT="x": must be a whole number',
      'JWT_SECRET (a secret of 17 characters, not shown): must be at least 32 characters long',
      'COMMAND_API_URL="localhost:4001": is not in the expected form',
    ]);
  });

  it("the web server's first step", async () => {
    const outcome = await run('web/scripts/prepare.ts', {
      WEB_PORT: '3000x',
      PUBLIC_LIVE_URL: 'http://localhost:4002/live',
      DEMO_PASSWORD: SECRETS.DEMO_PASSWORD,
      LOG_LEVEL: 'verbose',
    });
    expectRefused(outcome, 'web', [
      'WEB_PORT="3000x": must be a whole number',
      'LOG_LEVEL="verbose": must be one of',
      'PUBLIC_LIVE_URL="http://localhost:4002/live": is not in the expected form',
    ]);
  });
});

describe('entry points whose variables point where nothing can be used', { timeout: 60_000 }, () => {
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const at = (change: (url: URL) => void) => {
    const url = new URL(server);
    change(url);
    return url.toString();
  };

  it('say what is wrong in one line, with exit code 1 and no stack trace', async () => {
    const missing = at((url) => (url.pathname = '/reeltime_no_such_database'));
    const refused = at((url) => (url.port = '1'));
    const [ingest, projector, commandApi] = await Promise.all([
      run('ingest/src/cli.ts', { DATABASE_URL: missing }, ['--source', 'demo']),
      run('projector/src/main.ts', { DATABASE_URL: missing, LOG_LEVEL: 'silent' }),
      run('command-api/src/main.ts', {
        DATABASE_URL: refused,
        JWT_SECRET: 'a-test-secret-long-enough-to-be-accepted',
        LOG_LEVEL: 'silent',
      }),
    ]);
    const expected: [Outcome, RegExp][] = [
      [ingest, /^npm run ingest: cannot start: database "reeltime_no_such_database" does not exist \(PostgreSQL\)\. Create it/],
      [projector, /^projector: cannot start: database "reeltime_no_such_database" does not exist/],
      [commandApi, /^command-api: cannot start: nothing accepts connections at \S+:1: is the server/],
    ];
    for (const [outcome, message] of expected) {
      expect(outcome.code, outcome.stderr).toBe(1);
      expect(outcome.stderr).toMatch(message);
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
