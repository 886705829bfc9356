/*
 * `npm start --workspace web`: builds the app when the build is missing or older than its
 * sources (so a clean clone needs only `npm ci && npm start`), then serves it with adapter-node
 * on WEB_PORT (default 3000) through adapter-node's request handler.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from './build.ts';

const web = fileURLToPath(new URL('..', import.meta.url));
ensureWebBuild((line) => console.log(JSON.stringify({ level: 30, time: Date.now(), name: 'web', msg: line })));

const port = Number(process.env.WEB_PORT ?? process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const knowsOrigin = Boolean(process.env.ORIGIN);
// Without ORIGIN, adapter-node takes every request to be https://<host>, so form posts from
// http://localhost:3000 would fail SvelteKit's same-origin check. This server speaks plain HTTP:
// a request says https only when a proxy in front says so (X-Forwarded-Proto). Set ORIGIN
// behind a TLS proxy; a client that lies about the header only breaks its own session.
if (!knowsOrigin) process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
const { handler } = (await import(join(web, 'build', 'handler.js'))) as { handler: (req: IncomingMessage, res: ServerResponse, next?: () => void) => void };

const server = createServer((request, response) => {
  if (!knowsOrigin && !request.headers['x-forwarded-proto']) request.headers['x-forwarded-proto'] = 'http';
  handler(request, response, () => {
    response.statusCode = 404;
    response.end('Not found');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => {
  console.log(JSON.stringify({ level: 30, time: Date.now(), name: 'web', msg: `listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}` }));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
