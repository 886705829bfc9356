import { AuthEnv, authSettingsFrom, parseTrustProxy, TrustProxyEnv, type AuthSettings, type TrustProxy } from '@reeltime/platform';
import { DatabaseEnv, defineEnv, httpEnv, logEnv, mergeEnv, NatsEnv, RateLimitEnv, readEnv, ReadModelEnv } from '@reeltime/platform/config';
import { Type } from 'typebox';

/** Every variable query-api reads. */
export const QueryApiEnv = mergeEnv(
  DatabaseEnv,
  NatsEnv,
  ReadModelEnv,
  AuthEnv,
  TrustProxyEnv,
  RateLimitEnv,
  logEnv(),
  httpEnv('QUERY_API_PORT', 4002, "query-api's HTTP port"),
  defineEnv({
    CONSISTENCY_WAIT_MS: Type.Integer({ description: 'longest X-Min-Position wait before 503', minimum: 0, default: 5000 }),
    QUERY_POOL_SIZE: Type.Integer({ description: 'connections in the read-model pool', minimum: 1, default: 10 }),
    LIVE_CONNECTS_PER_MINUTE: Type.Integer({
      description: 'WebSocket upgrades per minute per user (per address when anonymous)',
      minimum: 1,
      default: 120,
    }),
  }),
);

export type QueryApiSettings = {
  databaseUrl: string;
  natsUrl: string;
  host: string;
  port: number;
  /** Schema of the read views (default `read`); tests give every run its own. */
  readSchema: string;
  /** NATS subjects start with it (default `reeltime`), as the projector publishes them. */
  subjectPrefix: string;
  rateLimitPerMinute: number;
  liveConnectsPerMinute: number;
  /** `TRUST_PROXY`: peers whose `X-Forwarded-For` names the client (default `loopback`, the web server). */
  trustProxy: TrustProxy;
  consistencyWaitMs: number;
  poolSize: number;
  auth: AuthSettings;
  logLevel: string;
};

export function queryApiSettings(env: NodeJS.ProcessEnv = process.env): QueryApiSettings {
  const config = readEnv('query-api', QueryApiEnv, env);
  return {
    databaseUrl: config.DATABASE_URL,
    natsUrl: config.NATS_URL,
    host: config.HOST,
    port: config.QUERY_API_PORT,
    readSchema: config.READ_SCHEMA,
    subjectPrefix: config.LIVE_SUBJECT_PREFIX,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    liveConnectsPerMinute: config.LIVE_CONNECTS_PER_MINUTE,
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
    consistencyWaitMs: config.CONSISTENCY_WAIT_MS,
    poolSize: config.QUERY_POOL_SIZE,
    auth: authSettingsFrom(config),
    logLevel: config.LOG_LEVEL,
  };
}
