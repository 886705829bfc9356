import { AuthEnv } from '@reeltime/platform';
import { ApiPortsEnv, defineEnv, eventStoreEnv, logEnv, mergeEnv } from '@reeltime/platform/config';
import { Type } from 'typebox';
import { IngestEnv } from '../ingest/src/settings.ts';

/**
 * Every variable `npm start` reads itself (each service reads and checks its own when it starts):
 * the event store it prepares, the secret it generates when unset, where the web app finds the
 * APIs, and whether ingest runs offline (then the sign-in page offers the demo account).
 */
export const StartEnv = mergeEnv(
  eventStoreEnv(),
  ApiPortsEnv,
  logEnv(),
  defineEnv({
    JWT_SECRET: Type.Optional(AuthEnv.variables.JWT_SECRET),
    TMDB_READ_ACCESS_TOKEN: IngestEnv.variables.TMDB_READ_ACCESS_TOKEN,
    TMDB_API_KEY: IngestEnv.variables.TMDB_API_KEY,
    COMMAND_API_URL: Type.Optional(
      Type.String({
        description: 'where the web server finds command-api (unset: http://127.0.0.1:<COMMAND_API_PORT>)',
        pattern: '^https?://',
      }),
    ),
    QUERY_API_URL: Type.Optional(
      Type.String({
        description: 'where the web server finds query-api (unset: http://127.0.0.1:<QUERY_API_PORT>)',
        pattern: '^https?://',
      }),
    ),
    DEMO_EMAIL: Type.Optional(Type.String({ description: 'the account the sign-in page offers (offline: the demo account)' })),
    DEMO_PASSWORD: Type.Optional(Type.String({ description: "the offered account's password", secret: true })),
  }),
);
