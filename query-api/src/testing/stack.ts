import type { AddressInfo } from 'node:net';
import type { NatsConnection } from 'nats';
import pino from 'pino';
import WebSocket from 'ws';
import { buildCommandApi } from '@reeltime/command-api/src/app.ts';
import { createCommandPool } from '@reeltime/command-api/src/command-pool.ts';
import { migrateCommandTables } from '@reeltime/command-api/src/migrations.ts';
import { TEST_AUTH } from '@reeltime/command-api/src/testing/api.testing.ts';
import type { Projection } from '@reeltime/projector/src/model/projection.ts';
import { projections } from '@reeltime/projector/src/projections.ts';
import { startProjector, type ProjectorService } from '@reeltime/projector/src/service.ts';
import { event, streams, titleImported } from '@reeltime/projector/src/testing/events.ts';
import { createHarness, type Harness } from '@reeltime/projector/src/testing/harness.ts';
import type { EventData } from '@reeltime/schemas';
import { buildQueryApi, type QueryApi, type QueryApiOptions } from '../app.ts';
import { ReadDb } from '../db.ts';
import { connectNats } from '../nats.ts';

export { TEST_AUTH };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers of every shape
export type Answer = { status: number; headers: Headers; body: any };
export type Session = { userId: string; accessToken: string };
type CallOptions = { token?: string; body?: unknown; headers?: Record<string, string> };

async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(baseUrl + path, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export type QueryApiInstance = {
  app: QueryApi;
  baseUrl: string;
  wsUrl: string;
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  get(path: string, options?: CallOptions): Promise<Answer>;
  close(): Promise<void>;
};

/**
 * The real stack in throwaway names: PostgreSQL event store, the real projector (in this
 * process), the real command-api and one or more query-api instances, all on ephemeral ports
 * and one unique schema/subject prefix, dropped by `close()`.
 */
export type StackOptions = {
  /** A test may leave a projection out to put fixture rows behind its views instead. */
  projections?: readonly Projection[];
  /** A drill's own servers (default: the shared test PostgreSQL and `NATS_URL` or the local NATS). */
  databaseUrl?: string;
  natsUrl?: string;
  /** How long query-api's NATS client waits between reconnection attempts (default 1 s, as the projector's). */
  natsReconnectMs?: number;
  /** One logger for every service (default: silent unless LOG_LEVEL). */
  logger?: pino.Logger;
};

export async function startStack(prefix = 'qa', options: StackOptions = {}) {
  const natsUrl = options.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const harness: Harness = await createHarness(prefix, {
    NATS_URL: natsUrl,
    ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
  });
  const log = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  // Each service's lines say which it is, as separate processes' would.
  const projectorLog = options.logger?.child({ service: 'projector' }) ?? harness.log;
  const startTheProjector = () => startProjector(harness.settings, options.projections ?? projections, projectorLog);
  let projector: ProjectorService = await startTheProjector();

  const commandPool = createCommandPool(harness.url, 5, log);
  const commandSchema = `${harness.base}_cmd`;
  await migrateCommandTables(commandPool, commandSchema);
  const commandApp = await buildCommandApi({
    store: harness.store,
    pool: commandPool,
    schema: commandSchema,
    auth: TEST_AUTH,
    logger: log.child({ service: 'command-api' }),
    rateLimitPerMinute: 1_000_000,
    authAttemptsPerMinute: 100_000,
    passwordCost: 12,
    readSchema: harness.settings.readSchema,
  });
  await commandApp.listen({ host: '127.0.0.1', port: 0 });
  const commandUrl = `http://127.0.0.1:${(commandApp.server.address() as AddressInfo).port}`;

  const instances: QueryApiInstance[] = [];
  const connections: NatsConnection[] = [];

  async function startQueryApi(overrides: Partial<QueryApiOptions> = {}): Promise<QueryApiInstance> {
    const nats = await connectNats(natsUrl, options.natsReconnectMs);
    connections.push(nats);
    const db = new ReadDb({
      databaseUrl: harness.url,
      schema: harness.settings.readSchema,
      poolSize: 10,
      onError: (error) => log.warn({ err: error }, 'read-model database'),
    });
    const app = await buildQueryApi({
      db,
      nats,
      subjectPrefix: harness.base,
      auth: TEST_AUTH,
      logger: log.child({ service: 'query-api' }),
      rateLimitPerMinute: 1_000_000,
      liveConnectsPerMinute: 1_000_000,
      consistencyWaitMs: 5000,
      ...overrides,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const baseUrl = `http://127.0.0.1:${port}`;
    const instance: QueryApiInstance = {
      app,
      baseUrl,
      wsUrl: `ws://127.0.0.1:${port}/live`,
      call: (method, path, options) => call(baseUrl, method, path, options),
      get: (path, options) => call(baseUrl, 'GET', path, options),
      close: async () => {
        await app.close();
        await nats.close();
        await db.end();
      },
    };
    instances.push(instance);
    return instance;
  }

  let registered = 0;
  const command = (method: string, path: string, options?: CallOptions) => call(commandUrl, method, path, options);

  return {
    harness,
    base: harness.base,
    get projector() {
      return projector;
    },
    /**
     * Stops the projector until the returned function starts it again: the read models stand
     * still while commands go on, as behind a projector that lags.
     */
    async pauseProjector(): Promise<() => Promise<void>> {
      await projector.stop();
      return async () => {
        projector = await startTheProjector();
      };
    },
    commandUrl,
    /** command-api's own tables (accounts, imports, title requests), as its COMMAND_SCHEMA. */
    commandSchema,
    command,
    startQueryApi,
    /** A registered user (through command-api) whose registration the read models have seen. */
    async register(displayName = 'Viewer'): Promise<Session> {
      const email = `viewer${++registered}-${Math.random().toString(36).slice(2, 8)}@example.com`;
      const answer = await command('POST', '/auth/register', { body: { email, password: 'a long password', displayName } });
      if (answer.status !== 201) throw new Error(`register failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      return { userId: answer.body.userId, accessToken: answer.body.accessToken };
    },
    /** Catalog events straight into the store (ingest's job in production); returns the last position. */
    async seedTitle(tmdbId: number, title: string, patch: Partial<EventData<'TitleImported'>> = {}): Promise<string> {
      const data = titleImported(tmdbId, title, patch);
      const result = await harness.store.appendToStream(streams.title(data.titleId), [event('TitleImported', data)]);
      return result.position;
    },
    async close(): Promise<void> {
      for (const instance of instances) await instance.close().catch(() => {});
      await commandApp.close();
      await projector.stop();
      await commandPool.end();
      await harness.close();
    },
  };
}
export type Stack = Awaited<ReturnType<typeof startStack>>;

/** A WebSocket client that records every message, with waits for the ones a test expects. */
export class LiveClient {
  readonly messages: { type: string; [key: string]: unknown }[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number }>;
  #waiters: (() => void)[] = [];

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.socket.once('close', (code) => resolve({ code })));
    this.socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)));
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(url: string): Promise<LiveClient> {
    const client = new LiveClient(url);
    await client.opened;
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits until `predicate` holds for the messages so far. */
  async until<T>(predicate: (messages: LiveClient['messages']) => T | undefined | false, ms = 10_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const result = predicate(this.messages);
      if (result) return result;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; messages so far: ${JSON.stringify(this.messages).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  next(type: string, ms?: number) {
    const seen = this.messages.length;
    return this.until((messages) => messages.slice(seen).find((m) => m.type === type), ms);
  }

  updates(channel?: string) {
    return this.messages.filter((m) => m.type === 'update' && (channel === undefined || m.channel === channel)) as unknown as {
      channel: string;
      position: string;
      data: { type: string; [key: string]: unknown };
    }[];
  }

  close(): void {
    this.socket.close();
  }
}
