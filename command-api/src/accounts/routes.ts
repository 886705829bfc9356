import { randomUUID } from 'node:crypto';
import type { EventStore } from '@reeltime/eventstore';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpProblem, SECURED, problems } from '@reeltime/platform';
import { CommandAccepted, LoginBody, LogoutAllBody, RefreshBody, RegisterBody, Registered, TokenPair, userStream } from '@reeltime/schemas';
import type pg from 'pg';
import { Type } from 'typebox';
import type { CommandHooks } from '../handling/command-hooks.ts';
import { normalizeEmail, type AccountStore } from './account-store.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { registerAccount, writeWithEvents } from './register.ts';

export type AccountRouteDeps = {
  store: EventStore;
  accounts: AccountStore;
  throttle: LoginThrottle;
  /** Pool of the database holding the account tables (the store's own pool on PostgreSQL). */
  pool: pg.Pool;
  accessTokenSeconds: number;
  /** log2 of scrypt's N; lowered only by tests. */
  passwordCost?: number;
  /** Login and registration attempts per address per minute. */
  authAttemptsPerMinute: number;
  requireActiveUser: CommandHooks['requireActiveUser'];
  onErased: (userId: string) => void;
};

/** Register, log in, refresh, log out: registered under `/auth`. */
export const authRoutes: FastifyPluginAsyncTypebox<AccountRouteDeps> = async (app, deps) => {
  const { accounts, throttle, accessTokenSeconds } = deps;
  const tags = ['auth'];
  const authLimit = {
    rateLimit: { max: deps.authAttemptsPerMinute, timeWindow: 60_000, keyGenerator: (request: { ip: string }) => `auth:${request.ip}` },
  };

  const tokens = async (userId: string, displayName: string, refreshToken?: string) => ({
    userId,
    accessToken: app.signAccessToken({ sub: userId, name: displayName }),
    refreshToken: refreshToken ?? (await accounts.issueRefreshToken(userId)).token,
    expiresIn: accessTokenSeconds,
  });

  app.post(
    '/register',
    {
      config: authLimit,
      schema: {
        tags,
        summary: 'Create an account (and its watchlist)',
        description: '`position` (also `X-Position`) is that of the new watchlist: send it as `X-Min-Position` to read it.',
        body: RegisterBody,
        response: { 201: Registered, ...problems(400, 409, 413, 429) },
      },
    },
    async (request, reply) => {
      const { password, displayName } = request.body;
      const email = normalizeEmail(request.body.email);
      const userId = randomUUID();
      const passwordHash = await hashPassword(password, deps.passwordCost);
      const metadata = { correlationId: request.id, causationId: request.id, occurredAt: new Date().toISOString() };
      const registration = await registerAccount(deps, { userId, watchlistId: randomUUID(), email, passwordHash, displayName, metadata });
      if (registration.kind === 'email_taken') throw new HttpProblem(409, 'email_taken', 'An account with this email already exists.');
      reply.code(201).header('x-position', registration.position);
      return { ...(await tokens(userId, displayName)), position: registration.position };
    },
  );

  app.post(
    '/login',
    {
      config: authLimit,
      schema: {
        tags,
        summary: 'Log in with email and password',
        body: LoginBody,
        response: { 200: TokenPair, ...problems(400, 401, 429) },
      },
    },
    async (request) => {
      const email = normalizeEmail(request.body.email);
      const lockedFor = await throttle.lockedFor(email);
      if (lockedFor > 0) {
        throw new HttpProblem(429, 'too_many_failed_logins', 'Too many failed logins for this account; try again later.', {
          headers: { 'retry-after': String(lockedFor) },
        });
      }
      const account = await accounts.findByEmail(email);
      const matches = await verifyPassword(request.body.password, account?.passwordHash ?? (await decoyHash(deps.passwordCost)));
      if (!account || !matches) {
        await throttle.recordFailure(email);
        throw new HttpProblem(401, 'invalid_credentials', 'Email or password is wrong.');
      }
      await throttle.recordSuccess(email);
      return tokens(account.userId, account.displayName);
    },
  );

  app.post(
    '/refresh',
    {
      config: authLimit,
      schema: {
        tags,
        summary: 'Trade a refresh token for a new pair (rotation)',
        body: RefreshBody,
        response: { 200: TokenPair, ...problems(400, 401, 429) },
      },
    },
    async (request) => {
      const outcome = await accounts.rotate(request.body.refreshToken);
      if (outcome.kind === 'reused') {
        throw new HttpProblem(
          401,
          'refresh_token_reused',
          'This refresh token was already used; every session of this login has been ended.',
        );
      }
      if (outcome.kind === 'invalid')
        throw new HttpProblem(401, 'invalid_refresh_token', 'The refresh token is invalid, expired or revoked.');
      return tokens(outcome.userId, outcome.displayName, outcome.next.token);
    },
  );

  app.post(
    '/logout',
    {
      schema: {
        tags,
        summary: 'End the login this refresh token belongs to',
        body: RefreshBody,
        response: { 204: Type.Null(), ...problems(400) },
      },
    },
    async (request, reply) => {
      await accounts.revokeFamilyOf(request.body.refreshToken);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/logout-all',
    {
      // No body at all is the same as `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
      preHandler: deps.requireActiveUser,
      schema: {
        tags,
        security: SECURED,
        summary: 'Sign out everywhere: end every login of your account',
        description:
          'Revokes every refresh token of the user (every browser and device), so none can be refreshed again. No body, or `{}`. ' +
          'Access tokens already issued stay valid until they expire (at most 15 minutes).',
        body: LogoutAllBody,
        response: { 204: Type.Null(), ...problems(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const revoked = await accounts.revokeAllOf(request.userId!);
      request.log.info({ userId: request.userId, revoked }, 'signed out everywhere');
      return reply.code(204).send(null);
    },
  );
};

/** `DELETE /me`, the account's erasure: registered under `/me`. */
export const meRoutes: FastifyPluginAsyncTypebox<AccountRouteDeps> = async (app, deps) => {
  const { accounts } = deps;
  app.addHook('preHandler', deps.requireActiveUser);
  app.delete(
    // The prefix itself: `DELETE /me/` stays unrouted.
    '',
    {
      schema: {
        tags: ['auth'],
        security: SECURED,
        summary: 'Erase your account: credentials and personal data are deleted',
        response: { 202: CommandAccepted, ...problems(401) },
      },
    },
    async (request, reply) => {
      const userId = request.userId!;
      const metadata = { correlationId: request.id, causationId: request.id, userId, occurredAt: new Date().toISOString() };
      const position = await writeWithEvents(
        deps,
        async (db) => {
          await accounts.erase(db, userId);
          deps.onErased(userId);
        },
        [{ stream: userStream(userId), events: [{ type: 'UserErased', data: { userId }, metadata }], expectedVersion: 'any' }],
        async () => {
          // The rows are gone and cannot be restored: the erasure event is retried by the client.
          request.log.error({ userId }, 'account rows erased but UserErased not appended');
        },
      );
      reply.code(202).header('x-position', position);
      return { position };
    },
  );
};
