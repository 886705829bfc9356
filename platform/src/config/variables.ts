import { Type } from 'typebox';
import { defineEnv, type EnvConfig } from './read-env.ts';

/*
 * Variables that more than one process reads, declared once here; each process merges the
 * fragments it needs with its own variables (`mergeEnv`).
 */

/** A PostgreSQL schema or identifier: quoted nowhere, so plain lower case. */
export const IDENTIFIER = '^[a-z_][a-z0-9_]{0,62}$';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `LOG_LEVEL`; the command-line tools default to `warn` so their progress bars own the terminal. */
export function logEnv(fallback: 'info' | 'warn' = 'info') {
  return defineEnv({
    LOG_LEVEL: Type.Enum([...LOG_LEVELS], { description: 'pino level of every log line', default: fallback }),
  });
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/reeltime';

export const DatabaseEnv = defineEnv({
  DATABASE_URL: Type.String({
    description: 'PostgreSQL URL (postgres://user:password@host:port/database)',
    pattern: '^postgres(ql)?://',
    default: DEFAULT_DATABASE_URL,
    secret: 'url',
  }),
});

/** Where the event store is; the PostgreSQL adapter's tables live in DATABASE_URL. */
export function eventStoreEnv(poolSize = 16) {
  return defineEnv(
    {
      ...DatabaseEnv.variables,
      EVENT_STORE: Type.Enum(['postgres', 'esdb'], { description: 'which event store adapter', default: 'postgres' }),
      EVENTSTORE_URL: Type.Optional(
        Type.String({
          description: 'EventStoreDB/KurrentDB URL, e.g. esdb://localhost:2113?tls=false',
          pattern: '^(esdb|esdb\\+discover|kurrentdb|kurrentdb\\+discover)://',
          secret: 'url',
        }),
      ),
      EVENTSTORE_SCHEMA: Type.String({
        description: "PostgreSQL schema of the store's tables, lower case",
        pattern: IDENTIFIER,
        default: 'eventstore',
      }),
      EVENTSTORE_POOL_SIZE: Type.Integer({ description: "connections in the store's pool", minimum: 1, default: poolSize }),
    },
    {
      checks: [
        (config) =>
          config.EVENT_STORE === 'esdb' && config.EVENTSTORE_URL === undefined
            ? [{ variable: 'EVENTSTORE_URL', problem: 'is required with EVENT_STORE=esdb' }]
            : [],
      ],
    },
  );
}

/** What `openEventStore` (from `@reeltime/eventstore`) takes. */
export function eventStoreSettingsFrom(config: EnvConfig<ReturnType<typeof eventStoreEnv>['variables']>) {
  return {
    kind: config.EVENT_STORE,
    databaseUrl: config.DATABASE_URL,
    schema: config.EVENTSTORE_SCHEMA,
    eventStoreUrl: config.EVENTSTORE_URL,
    poolSize: config.EVENTSTORE_POOL_SIZE,
  };
}

export const NatsEnv = defineEnv({
  NATS_URL: Type.String({
    description: 'NATS server(s) for live notices',
    pattern: '^(nats|tls|wss?)://',
    default: 'nats://127.0.0.1:4222',
    secret: 'url',
  }),
});

/** The projector writes read models and publishes notices under these names; query-api reads them. */
export const ReadModelEnv = defineEnv({
  READ_SCHEMA: Type.String({ description: 'schema of the stable read views', pattern: IDENTIFIER, default: 'read' }),
  LIVE_SUBJECT_PREFIX: Type.String({
    description: 'first token of the NATS subjects of live notices',
    pattern: '^[A-Za-z0-9_-]+$',
    default: 'reeltime',
  }),
});

export const CommandSchemaEnv = defineEnv({
  COMMAND_SCHEMA: Type.String({
    description: 'schema of accounts, sessions, login failures and idempotency keys',
    pattern: IDENTIFIER,
    default: 'command',
  }),
});

const port = (description: string, fallback: number) => Type.Integer({ description, minimum: 0, maximum: 65_535, default: fallback });

/** An HTTP service: its port (or `PORT`, as platforms that assign one set it) and the address it binds. */
export function httpEnv<Name extends string>(portVariable: Name, fallback: number, description: string) {
  return defineEnv(
    {
      HOST: Type.String({ description: 'address to listen on', default: '0.0.0.0' }),
      PORT: Type.Optional(Type.Integer({ description: `used as ${portVariable} when that is unset`, minimum: 0, maximum: 65_535 })),
      ...({ [portVariable]: port(description, fallback) } as Record<Name, ReturnType<typeof port>>),
    },
    { fallbacks: { [portVariable]: 'PORT' } as never },
  );
}

/** The two APIs' ports, as the start script needs them to find the APIs. */
export const ApiPortsEnv = defineEnv({
  COMMAND_API_PORT: port("command-api's HTTP port", 4001),
  QUERY_API_PORT: port("query-api's HTTP port", 4002),
});

export const RateLimitEnv = defineEnv({
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    description: 'requests per minute per user (per address when anonymous)',
    minimum: 1,
    default: 600,
  }),
});
