import type pg from 'pg';
import type { Logger } from 'pino';
import type { EventStore } from '@reeltime/eventstore';
import { createGeneration, dropRetired, generationsOf, prepareGeneration } from '../core/registry.ts';
import type { Projection } from '../model/projection.ts';
import { ident } from '../model/sql.ts';
import type { ProjectorMetrics } from '../observability/metrics.ts';
import type { ProjectorSettings } from '../settings.ts';
import type { LivePublisher } from './live.ts';
import { STALL_AFTER_MS } from './progress.ts';
import { ProjectionRunner } from './runner.ts';
import { WorkerRunner, type SupervisedRunner } from './worker-runner.ts';

export type SupervisorDeps = {
  projections: readonly Projection[];
  pool: pg.Pool;
  store: EventStore;
  settings: ProjectorSettings;
  live: LivePublisher;
  metrics: ProjectorMetrics;
  log: Logger;
  reconcileMs?: number;
};

type Running = { runner: SupervisedRunner; abort: AbortController; done: Promise<unknown>; startedAt: number };

const PRUNE_EVERY_MS = 3600_000;

/**
 * Decides, every second, which generation of each projection this process should run:
 * the serving one when it is this code's version; a new building one when this code has a
 * higher version (start-up after a version bump rebuilds blue/green); none when a newer
 * version already serves. Each runner then competes for its lease, so several processes
 * can run the same supervisor and only one applies events. A projection that asks for a thread
 * of its own (Projection.ownThread) runs there (WorkerRunner); a runner that crashed is logged,
 * counted as an error and, as its projection is then without one, started again next round.
 */
export class Supervisor {
  readonly runners = new Map<string, Running>();
  readonly #warned = new Set<string>();
  readonly #prepared = new Set<string>();
  /**
   * Projections whose last runner crashed (the health check reports them), until the next one
   * holds its lease or has run for as long as a runner may go without progress (a standby never leads).
   */
  readonly crashed = new Set<string>();
  #lastPrune = 0;

  constructor(private readonly deps: SupervisorDeps) {}

  async run(signal: AbortSignal): Promise<void> {
    const every = this.deps.reconcileMs ?? 1000;
    while (!signal.aborted) {
      try {
        await this.reconcile();
        await this.#maintain();
      } catch (error) {
        this.deps.log.error({ err: error }, 'projector supervisor round failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, every);
        signal.addEventListener('abort', done, { once: true });
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
      });
    }
    await this.stop();
  }

  async reconcile(): Promise<void> {
    for (const projection of this.deps.projections) {
      const target = await this.#target(projection);
      const running = this.runners.get(projection.name);
      if (running !== undefined && running.runner.schema === target) {
        if (running.runner.active || performance.now() - running.startedAt > STALL_AFTER_MS) this.crashed.delete(projection.name);
        continue;
      }
      if (running !== undefined) await this.#stopRunner(projection.name, running);
      if (target === undefined) this.crashed.delete(projection.name);
      else this.#start(projection, target, await this.#inOwnThread(projection));
    }
  }

  async #target(projection: Projection): Promise<string | undefined> {
    const { pool, settings, store, log } = this.deps;
    const generations = await generationsOf(pool, settings.coreSchema, projection.name);
    const serving = generations.find((g) => g.status === 'serving');
    if (serving === undefined) {
      // Nothing serves yet (fresh install): the first build serves from the start.
      const building = generations.find((g) => g.status === 'building' && g.version === projection.version);
      if (building !== undefined) return building.schema_name;
      return (await createGeneration(pool, settings, projection, 'serving', store.startPosition)).schema_name;
    }
    if (serving.version === projection.version) {
      // Idempotent, but once per process is enough: new migrations of this version apply here.
      if (!this.#prepared.has(serving.schema_name)) {
        await prepareGeneration(pool, settings, projection, serving);
        this.#prepared.add(serving.schema_name);
      }
      return serving.schema_name;
    }
    if (serving.version > projection.version) {
      if (!this.#warned.has(projection.name)) {
        this.#warned.add(projection.name);
        log.warn(
          { projection: projection.name, serving: serving.version, code: projection.version },
          'a newer version of this projection serves; this process leaves it alone',
        );
      }
      return undefined;
    }
    const building = generations.find((g) => g.status === 'building');
    if (building !== undefined && building.version === projection.version) return building.schema_name;
    if (building !== undefined) await this.#abandon(building.schema_name);
    log.info(
      { projection: projection.name, from: serving.version, to: projection.version },
      'projection version bumped: rebuilding blue/green',
    );
    return (await createGeneration(pool, settings, projection, 'building', store.startPosition)).schema_name;
  }

  /** A build of some other version that this code cannot finish. */
  async #abandon(schema: string): Promise<void> {
    const core = ident(this.deps.settings.coreSchema);
    await this.deps.pool.query(`UPDATE ${core}.projections SET status = 'retired' WHERE schema_name = $1 AND status = 'building'`, [
      schema,
    ]);
  }

  /**
   * Only the very object `ownThread` names runs in a thread, since the worker loads it from there:
   * a changed copy (a test's version bump) runs here, where it was made.
   */
  async #inOwnThread(projection: Projection): Promise<boolean> {
    const own = projection.ownThread;
    if (own === undefined || !this.deps.settings.ownThreads) return false;
    const module = (await import(own.module)) as Record<string, unknown>;
    return module[own.exportName] === projection;
  }

  #start(projection: Projection, schema: string, ownThread: boolean): void {
    const abort = new AbortController();
    const runner: SupervisedRunner = ownThread
      ? new WorkerRunner({ ...this.deps, projection, schema })
      : new ProjectionRunner({ ...this.deps, projection, schema });
    const done = runner.run(abort.signal).then(
      (outcome) => {
        this.deps.log.info({ projection: projection.name, schema, outcome }, 'projection runner ended');
        if (this.runners.get(projection.name)?.runner === runner) this.runners.delete(projection.name);
      },
      (error: unknown) => {
        this.deps.log.error({ err: error, projection: projection.name }, 'projection runner crashed; starting it again');
        this.deps.metrics.errors.inc({ projection: projection.name });
        this.crashed.add(projection.name);
        if (this.runners.get(projection.name)?.runner === runner) this.runners.delete(projection.name);
      },
    );
    this.runners.set(projection.name, { runner, abort, done, startedAt: performance.now() });
  }

  async #stopRunner(name: string, running: Running): Promise<void> {
    running.abort.abort();
    await running.done;
    if (this.runners.get(name) === running) this.runners.delete(name);
  }

  async #maintain(): Promise<void> {
    const { pool, settings } = this.deps;
    await dropRetired(pool, settings.coreSchema);
    if (Date.now() - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = Date.now();
    const { rowCount } = await pool.query(
      `DELETE FROM ${ident(settings.coreSchema)}.live_updates WHERE created_at < now() - make_interval(days => $1)`,
      [settings.retentionDays],
    );
    if (rowCount) this.deps.log.info({ pruned: rowCount }, 'pruned old live updates');
  }

  /** Graceful: every runner finishes its batch, commits, and lets its lease go. */
  async stop(): Promise<void> {
    await Promise.all([...this.runners].map(([name, running]) => this.#stopRunner(name, running)));
  }
}
