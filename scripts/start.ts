/*
 * `npm start`: makes sure the local services are up, prepares the event store (database and
 * migrations), then runs every Reeltime service that exists in this checkout, each through its
 * own workspace `start` script, and stops them all on Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { openEventStore } from '@reeltime/eventstore';
import { createLogger } from '@reeltime/platform';
import { eventStoreSettingsFrom, readEnv, settingsOrExit } from '@reeltime/platform/config';
import { DEMO_ACCOUNT } from '../ingest/src/community/credentials.ts';
import { StartEnv } from './start-env.ts';

const config = settingsOrExit(() => readEnv('npm start', StartEnv));
const log = createLogger('reeltime-start', config.LOG_LEVEL);

/** In start order. A folder that does not exist yet is simply not started. */
const SERVICES = ['ingest', 'projector', 'command-api', 'query-api', 'web'];

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
      log.info({ database: name }, 'created database');
    }
  } finally {
    await client.end();
  }
}

/**
 * Services sign and verify tokens with JWT_SECRET. For local runs without one, a random secret is
 * made once and kept (mode 0600, git-ignored) so sessions survive a restart.
 */
function ensureJwtSecret(): void {
  if (config.JWT_SECRET) return;
  const file = new URL('../.reeltime/jwt-secret', import.meta.url);
  try {
    if (!existsSync(file)) {
      mkdirSync(new URL('../.reeltime/', import.meta.url), { recursive: true });
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
      log.info('generated a local JWT secret in .reeltime/jwt-secret (set JWT_SECRET in production)');
    }
    process.env.JWT_SECRET = readFileSync(file, 'utf8').trim();
  } catch (error) {
    // A read-only checkout (the container image): sessions last until the next restart.
    log.warn({ err: error }, 'JWT_SECRET is not set and cannot be kept on disk: using a secret for this run only');
    process.env.JWT_SECRET = randomBytes(48).toString('base64url');
  }
}

spawnSync('bash', ['scripts/ensure-services.sh'], { stdio: 'inherit' });
ensureJwtSecret();
const settings = eventStoreSettingsFrom(config);
await ensureDatabase(settings.databaseUrl);
const store = await openEventStore(settings, (error) => log.warn({ err: error }, 'event store'));
log.info({ eventStore: settings.kind, head: await store.headPosition() }, 'event store ready');
await store.close();

/** The web app talks to both APIs; start it once they answer, so its first page can render. */
async function waitForApis(urls: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const url of urls) {
    while (Date.now() < deadline) {
      const ready = await fetch(`${url}/health/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const commandApiUrl = config.COMMAND_API_URL ?? `http://127.0.0.1:${config.COMMAND_API_PORT}`;
const queryApiUrl = config.QUERY_API_URL ?? `http://127.0.0.1:${config.QUERY_API_PORT}`;
process.env.COMMAND_API_URL = commandApiUrl;
process.env.QUERY_API_URL = queryApiUrl;
if (!config.TMDB_READ_ACCESS_TOKEN && !config.TMDB_API_KEY) {
  // The offline demo seeds a community and a demo account (ingest); the sign-in page offers it.
  process.env.DEMO_EMAIL = config.DEMO_EMAIL ?? DEMO_ACCOUNT.email;
  process.env.DEMO_PASSWORD = config.DEMO_PASSWORD ?? DEMO_ACCOUNT.password;
}

const present = SERVICES.filter((name) => existsSync(new URL(`../${name}/package.json`, import.meta.url)));
if (present.length === 0) {
  log.info('no services in this checkout yet: the event store is migrated and ready');
  process.exit(0);
}

const children = new Map<string, ChildProcess>();
let stopping = false;
for (const name of present) {
  if (name === 'web') await waitForApis([commandApiUrl, queryApiUrl]);
  if (stopping) break;
  // Its own process group: npm does not pass a SIGTERM on to the service it started, so stop()
  // signals the whole group (npm, the shell, tsx and the service).
  const child = spawn('npm', ['start', '--workspace', name], { stdio: 'inherit', env: process.env, detached: true });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping && code === 0) {
      // A one-shot job (ingest importing the demo catalog without a schedule) finishing is fine.
      log.info({ service: name }, 'service finished');
    } else if (!stopping) {
      log.error({ service: name, code, signal }, 'service stopped; stopping the others');
      stop(code ?? 1);
    } else if (children.size === 0) process.exit(); // with the code stop() was given
  });
}
log.info({ services: present }, 'started');

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is gone already.
  }
}

function stop(code = 0): void {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children.values()) signalGroup(child, 'SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) signalGroup(child, 'SIGKILL');
    process.exit(code);
  }, 10_000).unref();
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());
