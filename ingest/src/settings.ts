import type { EventStoreSettings } from '@reeltime/eventstore';
import {
  CommandSchemaEnv,
  defineEnv,
  envFlag,
  eventStoreEnv,
  eventStoreSettingsFrom,
  IDENTIFIER,
  isOn,
  logEnv,
  mergeEnv,
  readEnv,
} from '@reeltime/platform/config';
import { Type } from 'typebox';
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
  store: EventStoreSettings;
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

/** `6h`, `30m`, `1h30m`, `45s`, `250ms`, `1.5h` or milliseconds, as parseDuration reads them. */
const DURATION = '^(\\d+|(\\d+(\\.\\d+)?(ms|s|m|h|d))+)$';

/** Every variable ingest (the service and `npm run ingest`) reads. */
export const IngestEnv = mergeEnv(
  eventStoreEnv(),
  CommandSchemaEnv,
  logEnv(),
  defineEnv(
    {
      TMDB_READ_ACCESS_TOKEN: Type.Optional(
        Type.String({ description: 'TMDb API Read Access Token, sent as Authorization: Bearer (preferred)', secret: true }),
      ),
      TMDB_API_KEY: Type.Optional(Type.String({ description: 'TMDb v3 API key, sent as the api_key query parameter', secret: true })),
      TMDB_BASE_URL: Type.String({
        description: 'the TMDb v3 root (a local server for tests and demos)',
        pattern: '^https?://',
        default: TMDB_DEFAULT_BASE_URL,
      }),
      // 0 lifts the limit (a local fixture server); TMDb itself allows about 40-50 per second.
      TMDB_RATE_LIMIT: Type.Number({ description: 'TMDb requests started per second (0: no limit)', minimum: 0, default: 40 }),
      TMDB_CONCURRENCY: Type.Integer({ description: 'TMDb requests in flight', minimum: 1, default: 8 }),
      TMDB_TIMEOUT_MS: Type.Integer({ description: 'per TMDb attempt, body included, in ms', minimum: 1, default: 10_000 }),
      INGEST_INTERVAL: Type.String({
        description: 'time between scheduled syncs, at least 1s: 6h, 30m, 1h30m, 45s or milliseconds',
        pattern: DURATION,
        default: '6h',
      }),
      INGEST_PAGES: Type.Integer({ description: 'pages (20 titles each) of every list a run reads', minimum: 0, default: 5 }),
      INGEST_SCHEMA: Type.String({ description: 'schema of the sync progress tables', pattern: IDENTIFIER, default: 'ingest' }),
      INGEST_DEMO_COMMUNITY: envFlag('seed the demo community after the demo catalog', true),
    },
    {
      checks: [
        (config) =>
          config.INGEST_INTERVAL !== undefined &&
          new RegExp(DURATION).test(config.INGEST_INTERVAL) &&
          parseDuration(config.INGEST_INTERVAL) < 1000
            ? [{ variable: 'INGEST_INTERVAL', problem: 'must be at least 1s' }]
            : [],
      ],
    },
  ),
);

/** `npm run ingest`: the same, but only warnings are logged unless LOG_LEVEL says otherwise (the progress bar owns the terminal). */
export const IngestCliEnv = mergeEnv(IngestEnv, logEnv('warn'));

export function ingestSettings(env: NodeJS.ProcessEnv = process.env, { cli = false } = {}): IngestSettings {
  const config = cli ? readEnv('npm run ingest', IngestCliEnv, env) : readEnv('ingest', IngestEnv, env);
  const token = config.TMDB_READ_ACCESS_TOKEN;
  const apiKey = config.TMDB_API_KEY;
  const credential: TmdbCredential | null = token ? { kind: 'bearer', token } : apiKey ? { kind: 'apiKey', key: apiKey } : null;
  return {
    credential,
    baseUrl: config.TMDB_BASE_URL,
    requestsPerSecond: config.TMDB_RATE_LIMIT,
    concurrency: config.TMDB_CONCURRENCY,
    timeoutMs: config.TMDB_TIMEOUT_MS,
    intervalMs: parseDuration(config.INGEST_INTERVAL),
    pages: config.INGEST_PAGES,
    schema: config.INGEST_SCHEMA,
    commandSchema: config.COMMAND_SCHEMA,
    demoCommunity: isOn(config.INGEST_DEMO_COMMUNITY),
    logLevel: config.LOG_LEVEL,
    store: eventStoreSettingsFrom(config),
  };
}
