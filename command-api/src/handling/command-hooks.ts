import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { IdempotencyHooks } from './idempotency.ts';

export type CommandHooks = {
  /** 401 unless the access token names an account that still exists. */
  requireActiveUser: (this: FastifyInstance, request: FastifyRequest) => Promise<void>;
  idempotency: IdempotencyHooks;
  /**
   * The slice claims the key in its handler (`idempotency.claimFor`), once it has read what the
   * key must cover: a multipart upload is not parsed before the handler runs.
   */
  claimInHandler?: boolean;
};

/**
 * What every route that takes a command runs around its handler: an active user, then the
 * `Idempotency-Key` claim, and the answer recorded for the key. A fastify-plugin on purpose: a
 * command slice registers it so that the hooks reach the slice's own routes, while the slice
 * itself stays encapsulated (health, docs and the auth routes never run them).
 */
export const commandHooks = fp(
  async (app: FastifyInstance, { requireActiveUser, idempotency, claimInHandler = false }: CommandHooks) => {
    app.decorateRequest('idempotencyKey', undefined);
    app.addHook('preHandler', requireActiveUser);
    if (!claimInHandler) app.addHook('preHandler', idempotency.claim);
    app.addHook('onSend', idempotency.record);
  },
  { name: 'reeltime-command-hooks' },
);
