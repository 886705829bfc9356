// Serves the built app (web/build) with adapter-node's request handler on WEB_PORT (default
// 3000). Plain JavaScript run by plain `node`: under tsx every request's lazy `import()` of a
// route chunk went through tsx's module hooks on another thread, a third of the server's time.
import { createServer } from 'node:http';
import pino from 'pino';

// scripts/prepare.ts checked these (web/scripts/env.ts) just before; empty means unset.
const port = Number(process.env.WEB_PORT || process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';
const knowsOrigin = Boolean(process.env.ORIGIN);
// Without ORIGIN, adapter-node takes every request to be https://<host>, so form posts from
// http://localhost:3000 would fail SvelteKit's same-origin check. This server speaks plain HTTP:
// a request says https only when a proxy in front says so (X-Forwarded-Proto). Set ORIGIN
// behind a TLS proxy; a client that lies about the header only breaks its own session.
if (!knowsOrigin) process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
// adapter-node refuses bodies over BODY_SIZE_LIMIT (its default, 512K, is less than an import):
// room for command-api's 32 MiB upload limit and the form's other fields. Read at import below.
process.env.BODY_SIZE_LIMIT ||= '33M';
const { handler } = await import('../build/handler.js');

const logger = pino({ name: 'web', level: process.env.LOG_LEVEL?.trim().toLowerCase() || 'info' });
const log = (msg) => logger.info(msg);

const server = createServer((request, response) => {
  if (!knowsOrigin && !request.headers['x-forwarded-proto']) request.headers['x-forwarded-proto'] = 'http';
  handler(request, response, () => {
    response.statusCode = 404;
    response.end('Not found');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => log(`listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`));

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
