import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { defineEnv, type EnvConfig } from './config/read-env.ts';
import { HttpProblem } from './problem.ts';

export type AuthSettings = {
  secret: string;
  audience: string;
  issuer: string;
  accessTokenSeconds: number;
};

/** Both APIs read the same variables so a token issued by command-api is accepted by query-api. */
export const AuthEnv = defineEnv({
  JWT_SECRET: Type.String({
    description: 'HS256 key for access tokens, at least 32 characters; npm start generates one for local runs',
    minLength: 32,
    secret: true,
  }),
  JWT_AUDIENCE: Type.String({ description: 'audience claim access tokens are pinned to', default: 'reeltime' }),
  JWT_ISSUER: Type.String({ description: 'issuer claim access tokens are pinned to', default: 'reeltime' }),
});

export function authSettingsFrom(config: EnvConfig<typeof AuthEnv.variables>): AuthSettings {
  return { secret: config.JWT_SECRET, audience: config.JWT_AUDIENCE, issuer: config.JWT_ISSUER, accessTokenSeconds: 15 * 60 };
}

type AccessTokenClaims = { sub: string; name?: string };

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessTokenClaims;
    user: AccessTokenClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The verified user id of an access token, or undefined when it is absent, expired or forged. */
    verifyAccessToken(token: string): string | undefined;
    signAccessToken(claims: AccessTokenClaims): string;
  }
  interface FastifyRequest {
    /** Set by `requireUser`/`optionalUser`. */
    userId: string | undefined;
  }
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** HS256 JWTs pinned to audience and issuer: a token minted for another audience is refused. */
export const authPlugin = fp(
  async (app: FastifyInstance, settings: AuthSettings) => {
    await app.register(fastifyJwt, {
      secret: settings.secret,
      sign: { aud: settings.audience, iss: settings.issuer, expiresIn: settings.accessTokenSeconds, algorithm: 'HS256' },
      // A client sends the same token for 15 minutes: remember verified ones (fast-jwt checks expiry on every hit).
      verify: { allowedAud: settings.audience, allowedIss: settings.issuer, algorithms: ['HS256'], cache: 10_000 },
    });
    app.decorateRequest('userId', undefined);
    app.decorate('verifyAccessToken', (token: string) => {
      try {
        const claims = app.jwt.verify<AccessTokenClaims>(token);
        return typeof claims.sub === 'string' ? claims.sub : undefined;
      } catch {
        return undefined;
      }
    });
    app.decorate('signAccessToken', (claims: AccessTokenClaims) => app.jwt.sign(claims));
  },
  { name: 'reeltime-auth' },
);

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/** The rate limiter and the route both need the caller; the signature is checked once per request. */
const verified = new WeakMap<FastifyRequest, string | undefined>();

/** The user id of the request's bearer token when it is valid, else undefined (no token, expired, forged). */
export function tokenUserId(request: FastifyRequest): string | undefined {
  if (verified.has(request)) return verified.get(request);
  const token = bearerToken(request);
  const userId = token ? request.server.verifyAccessToken(token) : undefined;
  verified.set(request, userId);
  return userId;
}

/** preHandler: 401 unless a valid access token names the user. */
export async function requireUser(this: FastifyInstance, request: FastifyRequest): Promise<void> {
  if (!bearerToken(request))
    throw new HttpProblem(401, 'unauthenticated', 'An access token is required (Authorization: Bearer <token>).', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  const userId = tokenUserId(request);
  if (!userId)
    throw new HttpProblem(401, 'invalid_token', 'The access token is invalid or expired.', {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    });
  request.userId = userId;
}

/** preHandler: reads the user when a token is sent; a bad token is still a 401, never ignored. */
export async function optionalUser(this: FastifyInstance, request: FastifyRequest): Promise<void> {
  if (request.headers.authorization === undefined) return;
  await requireUser.call(this, request);
}
