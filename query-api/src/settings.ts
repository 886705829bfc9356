import { trustProxySetting, type TrustProxy } from '@reeltime/platform';

export type QueryApiSettings = {
  databaseUrl: string;
  natsUrl: string;
  port: number;
  /** Schema of the read views (default `read`); tests give every run its own. */
  readSchema: string;
  /** NATS subjects start with it (default `reeltime`), as the projector publishes them. */
  subjectPrefix: string;
  rateLimitPerMinute: number;
  /** `TRUST_PROXY`: peers whose `X-Forwarded-For` names the client (default `loopback`, the web server). */
  trustProxy: TrustProxy;
  consistencyWaitMs: number;
  poolSize: number;
};

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}`);
  return value;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

export function queryApiSettings(env: NodeJS.ProcessEnv = process.env): QueryApiSettings {
  const readSchema = env.READ_SCHEMA ?? 'read';
  if (!IDENT.test(readSchema)) throw new Error('READ_SCHEMA must be a plain lower-case identifier');
  return {
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/reeltime',
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    port: integer(env, 'QUERY_API_PORT', integer(env, 'PORT', 4002)),
    readSchema,
    subjectPrefix: env.LIVE_SUBJECT_PREFIX ?? 'reeltime',
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 1),
    trustProxy: trustProxySetting(env),
    consistencyWaitMs: integer(env, 'CONSISTENCY_WAIT_MS', 5000),
    poolSize: integer(env, 'QUERY_POOL_SIZE', 10, 1),
  };
}
