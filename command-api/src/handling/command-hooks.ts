import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { IdempotencyHooks } from './idempotency.ts';

export type CommandHooks = {
  /** 401 unless the access token names an account that still exists. */
  requireActiveUser: (this: FastifyInstance, request: FastifyRequest) => Promise<void>;
  idempotency: IdempotencyHooks;
};

/**
 * What every route that takes a command runs around its handler: an active user, then the
 * `Idempotency-Key` claim, and the answer recorded for the key. A fastify-plugin on purpose: a
 * command slice registers it so that the hooks reach the slice's own routes, while the slice
 * itself stays encapsulated (health, docs and the auth routes never run them).
 */
export const commandHooks = fp(
  async (app: FastifyInstance, { requireActiveUser, idempotency }: CommandHooks) => {
    app.decorateRequest('idempotencyKey', undefined);
    app.addHook('preHandler', requireActiveUser);
    app.addHook('preHandler', idempotency.claim);
    app.addHook('onSend', idempotency.record);
  },
  { name: 'reeltime-command-hooks' },
);
