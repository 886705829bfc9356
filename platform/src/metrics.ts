import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A registry per service instance, so tests can run several services in one process. */
export function createMetrics(service: string): { registry: Registry; httpDuration: Histogram<'method' | 'route' | 'status'> } {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

/** Times every request of the service: a fastify-plugin so its hook reaches every route, not only its own. */
export const httpMetrics = fp(
  async (app: FastifyInstance, { httpDuration }: { httpDuration: Histogram<'method' | 'route' | 'status'> }) => {
    app.addHook('onResponse', async (request, reply) => {
      httpDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: 'reeltime-http-metrics' },
);
