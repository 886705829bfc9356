import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { postgresUrlForTests } from '@reeltime/eventstore/testing';
import type pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandPool } from '../command-pool.ts';
import { startCommandApi, type Answer, type CommandApiHarness, type Session } from '../testing/api.testing.ts';

/*
 * Issue 14: with PostgreSQL stopped, a command whose account check was no longer cached
 * answered 500 (AccountStore.exists through requireActiveUser raised ECONNREFUSED, which
 * nothing mapped). Here command-api reaches its tables through a TCP relay the test cuts, so
 * every connection is refused for real while the event store stays up: each check that meets
 * the outage first (the account check of a command, a login, a sign-up) answers 503 with
 * Retry-After, and nothing is written.
 */

/** A TCP relay to PostgreSQL; `cut()` closes it and every connection through it, as a stopped server would. */
async function relayTo(url: string) {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const relayed = new URL(url);
  relayed.hostname = '127.0.0.1';
  relayed.port = String((server.address() as AddressInfo).port);
  return {
    url: relayed.toString(),
    async cut() {
      const closed = once(server, 'close');
      server.close();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

let api: CommandApiHarness;
let pool: pg.Pool;
let relay: Awaited<ReturnType<typeof relayTo>>;
let viewer: Session;

beforeAll(async () => {
  relay = await relayTo(await postgresUrlForTests());
  pool = createCommandPool(relay.url, 4, pino({ level: 'silent' }));
  api = await startCommandApi({ pool });
  await api.seedTitles('movie:603');
  // Signed up, but no command yet: the account check is not cached.
  viewer = await api.register();
  await relay.cut();
});
afterAll(async () => {
  await api?.close();
  await pool?.end();
});

function expectUnavailable(answer: Answer): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.headers.get('retry-after')).toBe('2');
  expect(answer.body).toMatchObject({ status: 503, code: 'unavailable' });
}

describe('the command database unreachable', () => {
  it('given an account check not cached, when a command comes, then 503 with Retry-After, not 500, and nothing is written', async () => {
    const before = await api.eventCount();
    expectUnavailable(await api.call('PUT', '/ratings/movie:603', { token: viewer.accessToken, body: { score: 8 } }));
    expectUnavailable(await api.call('POST', '/lists', { token: viewer.accessToken, body: { name: 'Later' } }));
    expect(await api.eventCount()).toBe(before);
  });

  it('when someone logs in or signs up, then 503 with Retry-After', async () => {
    expectUnavailable(await api.call('POST', '/auth/login', { body: { email: viewer.email, password: 'a long password' } }));
    expectUnavailable(
      await api.call('POST', '/auth/register', { body: { email: 'late@example.com', password: 'a long password', displayName: 'Late' } }),
    );
  });

  it('the readiness check says not ready', async () => {
    const answer = await fetch(`${api.baseUrl}/health/ready`);
    expect(answer.status).toBe(503);
  });
});
