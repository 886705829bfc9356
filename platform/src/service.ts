import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { registerAjvFormats, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Type } from 'typebox';
import { authPlugin, tokenUserId, type AuthSettings } from './auth.ts';
import { createMetrics, httpMetrics } from './metrics.ts';
import { SECURITY_SCHEMES } from './openapi.ts';
import { ProblemDetails, problemBody, problemErrorHandler, sendProblem, type ErrorMapper } from './problem.ts';
import { DEFAULT_TRUST_PROXY, type TrustProxy } from './proxy.ts';
import { validatorCompiler } from './validation.ts';

registerAjvFormats();

export type HttpServiceOptions = {
  name: string;
  description: string;
  logger: Logger;
  auth: AuthSettings;
  /** Largest accepted body in bytes (413 above). */
  bodyLimit?: number;
  /** Requests per minute per user (or per address when anonymous). */
  rateLimitPerMinute?: number;
  /**
   * Peers whose `X-Forwarded-For` names the client (`request.ip`, and so the per-address
   * limits); default `loopback` (the web server beside the APIs). `false`: the peer is the client.
   */
  trustProxy?: TrustProxy;
  /** Throws or returns false when a dependency is down; `/health/ready` answers 503 then. */
  ready: () => Promise<boolean>;
  mapError?: ErrorMapper;
};

export type HttpService = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Client request ids become correlation ids, so only short, log-safe ones are taken. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** The frame every Reeltime HTTP service shares; routes are registered on the returned instance. */
export async function createHttpService(options: HttpServiceOptions): Promise<HttpService> {
  // The logger is typed as Fastify's own interface, not as pino's: routes and plugins see one instance type.
  const app = Fastify<Server, IncomingMessage, ServerResponse, FastifyBaseLogger>({
    loggerInstance: options.logger,
    genReqId: requestId,
    // One line per request from our onResponse hook, labelled with the correlation id.
    logController: new LogController({ requestIdLogLabel: 'correlationId', disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    trustProxy: options.trustProxy ?? DEFAULT_TRUST_PROXY,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  })
    .setValidatorCompiler(validatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ProblemDetails);
  app.setErrorHandler(problemErrorHandler(options.mapError));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problemBody(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    request.log[level](
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        userId: request.userId,
      },
      'request',
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `Reeltime ${options.name}`, description: options.description, version: '0.1.0' },
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(authPlugin, options.auth);
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? 600,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => rateLimitKey(request),
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`Rate limit exceeded: retry in ${Math.ceil(context.ttl / 1000)} s.`), { statusCode: 429 }),
  });

  const { registry, httpDuration } = createMetrics(options.name);
  await app.register(httpMetrics, { httpDuration });

  const health = { hide: true, response: { 200: Type.Object({ status: Type.String() }) } };
  app.get('/health/live', { schema: health, config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { schema: { hide: true }, config: { rateLimit: false } }, async (request, reply) => {
    const ok = await options.ready().catch((error: unknown) => {
      request.log.warn({ err: error }, 'not ready');
      return false;
    });
    if (ok) return { status: 'ready' };
    return sendProblem(reply, problemBody(503, 'not_ready', 'A dependency is unreachable.'), { 'retry-after': '5' });
  });
  app.get('/metrics', { schema: { hide: true }, config: { rateLimit: false } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
  return app;
}

/**
 * Limits follow the user when a valid token is sent, so users behind one address (or behind the
 * web server) do not share a budget; anonymous requests count against their address, which is
 * the forwarded one when the peer is a trusted proxy.
 */
function rateLimitKey(request: FastifyRequest): string {
  const userId = tokenUserId(request);
  return userId ? `user:${userId}` : `ip:${request.ip}`;
}
