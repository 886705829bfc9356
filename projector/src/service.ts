import type pg from 'pg';
import type { Logger } from 'pino';
import { openEventStore, type EventStore } from '@reeltime/eventstore';
import { createReadModelPool } from './core/db.ts';
import { migrateCore } from './core/registry.ts';
import type { Projection } from './model/projection.ts';
import { ProjectorMetrics } from './observability/metrics.ts';
import { startHttpServer } from './observability/server.ts';
import { LivePublisher } from './runner/live.ts';
import { Supervisor } from './runner/supervisor.ts';
import type { ProjectorSettings } from './settings.ts';

export type ProjectorService = {
  port: number;
  supervisor: Supervisor;
  pool: pg.Pool;
  store: EventStore;
  /** Graceful: runners finish their batch, then connections close. */
  stop(): Promise<void>;
};

/** Migrations, every projection under the supervisor, NATS, and the metrics/health server. */
export async function startProjector(
  settings: ProjectorSettings,
  projections: readonly Projection[],
  log: Logger,
): Promise<ProjectorService> {
  const store = await openEventStore(settings.store, (error) => log.warn({ err: error }, 'event store error'));
  const pool = createReadModelPool(settings.databaseUrl);
  pool.on('error', (error) => log.warn({ err: error }, 'read-model pool error'));
  await migrateCore(pool, settings);
  const live = new LivePublisher(settings.natsUrl, settings.subjectPrefix, log);
  live.start();
  const metrics = new ProjectorMetrics();
  const supervisor = new Supervisor({ projections, pool, store, settings, live, metrics, log });
  // The first round creates the schemas and views, so `read.*` exists once this returns.
  await supervisor.reconcile();
  const abort = new AbortController();
  const supervising = supervisor.run(abort.signal);
  const server = await startHttpServer(settings.port, metrics, async () => {
    const checks: Record<string, unknown> = {};
    const probe = async (name: string, check: () => Promise<unknown>) => {
      try {
        await check();
        checks[name] = 'ok';
        return true;
      } catch (error) {
        checks[name] = String(error);
        return false;
      }
    };
    const storeOk = await probe('eventStore', () => store.ping());
    const dbOk = await probe('readModels', () => pool.query('SELECT 1'));
    const stalled = [...supervisor.runners.values()].filter(({ runner }) => runner.stalled).map(({ runner }) => runner.name);
    checks.stalled = stalled;
    const crashed = [...supervisor.crashed];
    if (crashed.length > 0) checks.crashed = crashed;
    checks.nats = live.connected ? 'ok' : 'disconnected (notices stay in live_updates)';
    return { ready: storeOk && dbOk && stalled.length === 0 && crashed.length === 0, checks };
  });
  log.info({ port: server.port }, 'projector started');
  return {
    port: server.port,
    supervisor,
    pool,
    store,
    stop: async () => {
      abort.abort();
      await supervising;
      await server.close();
      await live.close();
      await pool.end();
      await store.close();
    },
  };
}
