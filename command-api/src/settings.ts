import { AuthEnv, authSettingsFrom, parseTrustProxy, TrustProxyEnv, type AuthSettings, type TrustProxy } from '@reeltime/platform';
import {
  CommandSchemaEnv,
  defineEnv,
  eventStoreEnv,
  eventStoreSettingsFrom,
  httpEnv,
  logEnv,
  mergeEnv,
  RateLimitEnv,
  readEnv,
  ReadModelEnv,
} from '@reeltime/platform/config';
import type { EventStoreSettings } from '@reeltime/eventstore';
import { Type } from 'typebox';

/** Every variable command-api reads. */
export const CommandApiEnv = mergeEnv(
  eventStoreEnv(),
  AuthEnv,
  TrustProxyEnv,
  RateLimitEnv,
  CommandSchemaEnv,
  logEnv(),
  httpEnv('COMMAND_API_PORT', 4001, "command-api's HTTP port"),
  defineEnv({
    COMMAND_POOL_SIZE: Type.Integer({ description: "connections in the pool of the command side's own tables", minimum: 1, default: 10 }),
    AUTH_ATTEMPTS_PER_MINUTE: Type.Integer({
      description: 'register/login/refresh attempts per address per minute',
      minimum: 1,
      default: 20,
    }),
    IMPORT_MAX_BYTES: Type.Integer({ description: 'largest POST /imports file (413 above)', minimum: 1, default: 32 * 1024 * 1024 }),
    // Imported rows are matched against the catalog's read views.
    READ_SCHEMA: ReadModelEnv.variables.READ_SCHEMA,
  }),
);

export type CommandApiSettings = {
  store: EventStoreSettings;
  auth: AuthSettings;
  trustProxy: TrustProxy;
  commandSchema: string;
  poolSize: number;
  rateLimitPerMinute: number;
  authAttemptsPerMinute: number;
  importMaxBytes: number;
  readSchema: string;
  logLevel: string;
  host: string;
  port: number;
};

export function commandApiSettings(env: NodeJS.ProcessEnv = process.env): CommandApiSettings {
  const config = readEnv('command-api', CommandApiEnv, env);
  return {
    store: eventStoreSettingsFrom(config),
    auth: authSettingsFrom(config),
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
    commandSchema: config.COMMAND_SCHEMA,
    poolSize: config.COMMAND_POOL_SIZE,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    authAttemptsPerMinute: config.AUTH_ATTEMPTS_PER_MINUTE,
    importMaxBytes: config.IMPORT_MAX_BYTES,
    readSchema: config.READ_SCHEMA,
    logLevel: config.LOG_LEVEL,
    host: config.HOST,
    port: config.COMMAND_API_PORT,
  };
}
