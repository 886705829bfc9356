import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProjectorMetrics } from './metrics.ts';

export type Readiness = () => Promise<{ ready: boolean; checks: Record<string, unknown> }>;

/** `/metrics` (Prometheus text), `/health/live` and `/health/ready`. */
export async function startHttpServer(
  port: number,
  metrics: ProjectorMetrics,
  readiness: Readiness,
): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const url = (request.url ?? '/').split('?')[0];
    const reply = (status: number, body: string, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    if (request.method !== 'GET') return reply(405, JSON.stringify({ status: 405, title: 'Method Not Allowed' }));
    if (url === '/health/live') return reply(200, JSON.stringify({ status: 'ok' }));
    if (url === '/health/ready') {
      readiness().then(
        ({ ready, checks }) => reply(ready ? 200 : 503, JSON.stringify({ status: ready ? 'ok' : 'unavailable', checks })),
        (error: unknown) => reply(503, JSON.stringify({ status: 'unavailable', error: String(error) })),
      );
      return;
    }
    if (url === '/metrics') {
      metrics.registry.metrics().then(
        (text) => reply(200, text, metrics.registry.contentType),
        (error: unknown) => reply(500, String(error), 'text/plain'),
      );
      return;
    }
    reply(404, JSON.stringify({ status: 404, title: 'Not Found' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
