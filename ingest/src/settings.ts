import { assertSchemaName } from '@reeltime/eventstore/postgres';
import type { TmdbCredential } from './tmdb/client.ts';

export const TMDB_DEFAULT_BASE_URL = 'https://api.themoviedb.org/3';

export type IngestSettings = {
  /** Null: no TMDb credential, so only the offline sources can run. */
  credential: TmdbCredential | null;
  baseUrl: string;
  requestsPerSecond: number;
  concurrency: number;
  timeoutMs: number;
  /** Time between scheduled syncs. */
  intervalMs: number;
  /** Pages of each list (popular, trending) a run reads. */
  pages: number;
  /** PostgreSQL schema of the sync progress tables. */
  schema: string;
  /** Schema of the command side's account tables (as command-api's `COMMAND_SCHEMA`); the demo community registers its accounts there. */
  commandSchema: string;
  /** Seed the demo community after the demo catalog (`INGEST_DEMO_COMMUNITY`, default on). */
  demoCommunity: boolean;
  logLevel: string;
};

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `6h`, `30m`, `1h30m`, `45s`, `250ms`, or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) {
    throw new Error(`cannot read duration "${text}": use e.g. 6h, 30m, 1h30m, 45s or milliseconds`);
  }
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNITS[unit!]!, 0);
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, { allowZero = false } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, not "${raw}"`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, not "${env[name]}"`);
}

export function ingestSettings(env: NodeJS.ProcessEnv = process.env): IngestSettings {
  const token = env.TMDB_READ_ACCESS_TOKEN?.trim();
  const apiKey = env.TMDB_API_KEY?.trim();
  const credential: TmdbCredential | null = token ? { kind: 'bearer', token } : apiKey ? { kind: 'apiKey', key: apiKey } : null;
  const intervalMs = parseDuration(env.INGEST_INTERVAL ?? '6h');
  if (intervalMs < 1000) throw new Error(`INGEST_INTERVAL must be at least 1s, not "${env.INGEST_INTERVAL}"`);
  return {
    credential,
    baseUrl: env.TMDB_BASE_URL?.trim() || TMDB_DEFAULT_BASE_URL,
    // 0 lifts the limit (a local fixture server); TMDb itself allows about 40-50 per second.
    requestsPerSecond: positive(env, 'TMDB_RATE_LIMIT', 40, { allowZero: true }),
    concurrency: Math.floor(positive(env, 'TMDB_CONCURRENCY', 8)),
    timeoutMs: positive(env, 'TMDB_TIMEOUT_MS', 10_000),
    intervalMs,
    pages: Math.floor(positive(env, 'INGEST_PAGES', 5, { allowZero: true })),
    schema: env.INGEST_SCHEMA ?? 'ingest',
    commandSchema: assertSchemaName(env.COMMAND_SCHEMA ?? 'command'),
    demoCommunity: flag(env, 'INGEST_DEMO_COMMUNITY', true),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
