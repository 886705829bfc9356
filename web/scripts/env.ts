import { defineEnv, httpEnv, logEnv, mergeEnv } from '@reeltime/platform/config';
import { Type } from 'typebox';

/**
 * Every variable the web server reads (`scripts/serve.js`, adapter-node and `src/lib/server/`).
 * `scripts/prepare.ts` checks them before the server starts; the server reads them as they are.
 */
export const WebEnv = mergeEnv(
  httpEnv('WEB_PORT', 3000, "the web app's port"),
  logEnv(),
  defineEnv({
    COMMAND_API_URL: Type.String({
      description: 'where the server-side client finds command-api',
      pattern: '^https?://',
      default: 'http://127.0.0.1:4001',
    }),
    QUERY_API_URL: Type.String({
      description: 'where the server-side client finds query-api',
      pattern: '^https?://',
      default: 'http://127.0.0.1:4002',
    }),
    PUBLIC_LIVE_URL: Type.Optional(
      Type.String({
        description: "query-api's /live as the browser reaches it (unset: ws://<page host>:<query-api port>/live)",
        pattern: '^wss?://',
      }),
    ),
    ORIGIN: Type.Optional(
      Type.String({
        description: 'the public origin behind a TLS proxy (unset: plain HTTP unless a proxy sends X-Forwarded-Proto)',
        pattern: '^https?://',
      }),
    ),
    BODY_SIZE_LIMIT: Type.String({
      description: "adapter-node's largest request body (K, M or G suffix): an import upload is up to 32 MiB",
      pattern: '^[0-9]+[KMG]?$',
      default: '33M',
    }),
    DEMO_EMAIL: Type.Optional(Type.String({ description: 'the account the sign-in page offers (npm start sets it offline)' })),
    DEMO_PASSWORD: Type.Optional(Type.String({ description: "the offered account's password", secret: true })),
  }),
);
