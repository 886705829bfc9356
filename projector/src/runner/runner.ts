import pg from 'pg';
import type { Logger } from 'pino';
import { decodePosition, type EventStore, type Position } from '@reeltime/eventstore';
import { connectionConfig } from '../core/db.ts';
import { generation, type Status } from '../core/registry.ts';
import { installViews } from '../core/views.ts';
import { Notices, type Notice } from '../model/notices.ts';
import type { Projection } from '../model/projection.ts';
import { ident } from '../model/sql.ts';
import type { ProjectorMetrics } from '../observability/metrics.ts';
import type { ProjectorSettings } from '../settings.ts';
import { BatchReader, type Batch } from './batches.ts';
import { acquireLease } from './lease.ts';
import { insertLiveUpdates, type LivePublisher, type LiveUpdate } from './live.ts';

export type RunnerDeps = {
  projection: Projection;
  /** The generation (version schema) this runner projects into. */
  schema: string;
  settings: ProjectorSettings;
  store: EventStore;
  live: LivePublisher;
  metrics: ProjectorMetrics;
  log: Logger;
  /** Return once this generation has been swapped in (the replay command) instead of serving on. */
  stopWhenServing?: boolean;
};

export type RunnerOutcome = 'stopped' | 'retired' | 'swapped';

/** How long an idle runner waits before moving a filtered checkpoint past unrelated events. */
const IDLE_MS = 250;
const SWAP_ATTEMPT_MS = 200;
const LAG_EVERY_MS = 2000;
const STALL_AFTER_MS = 30_000;
const LOCK_NOT_AVAILABLE = '55P03';
const ERROR_BACKOFF_MS = [200, 500, 1000, 2000, 5000];

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * Runs one generation of a projection: takes its lease (or waits as a hot standby), then
 * applies batches, each in one transaction with a compare-and-set of the checkpoint, so a
 * batch applied twice (two instances, a retry after a lost commit reply) changes nothing.
 * A building generation tries to swap itself in whenever it has caught up.
 */
export class ProjectionRunner {
  active = false;
  mode: Status = 'building';
  checkpoint: Position;
  /** Last event actually applied (the checkpoint may lie past it, after filtered events). */
  lastEvent: Position;
  eventsApplied = 0;
  consecutiveErrors = 0;
  lagEvents = 0;
  #progressAt = performance.now();
  #lastSwapAttempt = 0;
  #batches = 0;

  constructor(private readonly deps: RunnerDeps) {
    this.checkpoint = deps.store.startPosition;
    this.lastEvent = deps.store.startPosition;
  }

  get name(): string {
    return this.deps.projection.name;
  }

  get schema(): string {
    return this.deps.schema;
  }

  /** Behind the store with no progress for a while, or failing batch after batch. */
  get stalled(): boolean {
    if (!this.active) return false;
    if (this.consecutiveErrors >= 3) return true;
    return this.lagEvents > 0 && performance.now() - this.#progressAt > STALL_AFTER_MS;
  }

  async run(signal: AbortSignal): Promise<RunnerOutcome> {
    const { settings, log } = this.deps;
    while (!signal.aborted) {
      const client = new pg.Client(connectionConfig(settings.databaseUrl));
      client.on('error', (error) => log.warn({ err: error, projection: this.name }, 'projector connection error'));
      try {
        await client.connect();
        const leased = await acquireLease(client, `${settings.coreSchema}:${this.schema}`, settings.leaseRetryMs, signal);
        if (!leased) break;
        const outcome = await this.#lead(client, signal);
        if (outcome !== 'stopped') return outcome;
      } catch (error) {
        this.consecutiveErrors++;
        this.deps.metrics.errors.inc({ projection: this.name });
        log.error({ err: error, projection: this.name, schema: this.schema }, 'projection batch failed; retrying');
        await sleep(ERROR_BACKOFF_MS[Math.min(this.consecutiveErrors - 1, ERROR_BACKOFF_MS.length - 1)]!, signal);
      } finally {
        this.#setActive(false);
        await client.end().catch(() => {});
      }
    }
    return 'stopped';
  }

  async #lead(client: pg.Client, signal: AbortSignal): Promise<RunnerOutcome> {
    const { projection, settings, store, log } = this.deps;
    const gen = await generation(client, settings.coreSchema, this.schema);
    if (gen === undefined || gen.status === 'retired') return 'retired';
    this.mode = gen.status;
    this.checkpoint = gen.checkpoint;
    if (store.comparePositions(this.lastEvent, gen.checkpoint) < 0) this.lastEvent = gen.checkpoint;
    this.#progressAt = performance.now();
    this.#setActive(true);
    log.info({ projection: this.name, schema: this.schema, mode: this.mode, checkpoint: this.checkpoint }, 'projection lease taken');
    const subscription = store.subscribe({ from: this.checkpoint, eventTypes: projection.eventTypes, batchSize: settings.batchSize });
    const reader = new BatchReader(subscription, settings.batchSize, settings.batchMs);
    const lag = setInterval(() => void this.#measureLag().catch(() => {}), LAG_EVERY_MS);
    try {
      while (!signal.aborted) {
        const batch = await reader.next(IDLE_MS, signal);
        if (batch.events.length > 0 || store.comparePositions(batch.checkpoint, this.checkpoint) > 0) {
          if (!(await this.#commit(client, batch))) return 'retired';
          this.consecutiveErrors = 0;
        }
        if (this.mode === 'building' && !batch.full && performance.now() - this.#lastSwapAttempt > SWAP_ATTEMPT_MS) {
          this.#lastSwapAttempt = performance.now();
          if ((await this.#trySwap(client)) && this.deps.stopWhenServing) return 'swapped';
        }
      }
      return 'stopped';
    } finally {
      clearInterval(lag);
      await reader.close();
    }
  }

  #recent = (occurredAt: string): boolean => Date.parse(occurredAt) >= Date.now() - this.deps.settings.retentionDays * 86_400_000;

  async #commit(client: pg.Client, batch: Batch): Promise<boolean> {
    const { projection, settings, metrics, live } = this.deps;
    const started = performance.now();
    const core = ident(settings.coreSchema);
    let notices: Notice[] = [];
    await client.query('BEGIN');
    try {
      const cas = await client.query(
        `UPDATE ${core}.projections SET checkpoint = $3, updated_at = now() WHERE schema_name = $1 AND checkpoint = $2 AND status = $4`,
        [this.schema, this.checkpoint, batch.checkpoint, this.mode],
      );
      if (cas.rowCount !== 1) {
        await client.query('ROLLBACK');
        this.deps.log.warn({ projection: this.name, schema: this.schema }, 'checkpoint moved or generation retired elsewhere; stepping down');
        return false;
      }
      if (batch.events.length > 0) {
        const state = await projection.load(client, this.schema, batch.events);
        const collector = new Notices(this.#recent);
        for (const event of batch.events) projection.apply(state, event, collector);
        await projection.flush(client, this.schema, state);
        notices = collector.list();
      }
      if (this.mode === 'serving') await insertLiveUpdates(client, settings.coreSchema, projection.name, notices);
      else await this.#holdBack(client, notices);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    this.checkpoint = batch.checkpoint;
    const last = batch.events.at(-1);
    if (last !== undefined) this.lastEvent = last.position;
    this.eventsApplied += batch.events.length;
    this.#progressAt = performance.now();
    metrics.batchEvents.observe({ projection: this.name }, batch.events.length);
    metrics.batchSeconds.observe({ projection: this.name }, (performance.now() - started) / 1000);
    metrics.events.inc({ projection: this.name }, batch.events.length);
    metrics.position.set({ projection: this.name }, Number(decodePosition(this.lastEvent)[1]));
    if (this.mode === 'serving') {
      live.publish(notices.map((notice) => ({ ...notice, projection: projection.name })));
      live.publishPosition(projection.name, projection.version, this.checkpoint);
    }
    return true;
  }

  /**
   * A building generation keeps the notices of events the serving one may not have projected
   * yet; the swap moves those into live_updates, so the log has no gap and no duplicate.
   */
  async #holdBack(client: pg.Client, notices: readonly Notice[]): Promise<void> {
    if (notices.length === 0) return;
    const core = ident(this.deps.settings.coreSchema);
    const schema = ident(this.schema);
    const { rows } = await client.query<{ checkpoint: string }>(
      `SELECT checkpoint FROM ${core}.projections WHERE projection = $1 AND status = 'serving'`,
      [this.name],
    );
    const served = rows[0]?.checkpoint;
    const ahead = served === undefined ? notices : notices.filter((notice) => notice.position > served);
    if (ahead.length > 0) {
      await client.query(
        `INSERT INTO ${schema}.pending_live_updates (channel, position, data)
         SELECT channel, position, data FROM json_to_recordset($1::json) AS n(channel text, position text, data jsonb)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(ahead)],
      );
    }
    if (served !== undefined && ++this.#batches % 50 === 0) {
      await client.query(`DELETE FROM ${schema}.pending_live_updates WHERE position <= $1`, [served]);
    }
  }

  /**
   * Blue/green swap, once this generation is at or past the serving one: in one transaction
   * the serving row is locked (its runner's next compare-and-set then fails), held-back notices
   * are published into live_updates, statuses flip and the read views move over.
   */
  async #trySwap(client: pg.Client): Promise<boolean> {
    const { projection, settings, live, log, store } = this.deps;
    // A batch cut short by time is not proof of having caught up: the head is.
    if (store.comparePositions(this.checkpoint, await store.headPosition()) < 0) return false;
    const core = ident(settings.coreSchema);
    const schema = ident(this.schema);
    let moved: LiveUpdate[];
    let old: { schema_name: string; checkpoint: string } | undefined;
    await client.query('BEGIN');
    try {
      const serving = await client.query<{ schema_name: string; checkpoint: string }>(
        `SELECT schema_name, checkpoint FROM ${core}.projections WHERE projection = $1 AND status = 'serving' FOR UPDATE`,
        [this.name],
      );
      old = serving.rows[0];
      if (old !== undefined && old.checkpoint > this.checkpoint) {
        await client.query('ROLLBACK');
        return false;
      }
      const published = await client.query<LiveUpdate>(
        `INSERT INTO ${core}.live_updates (channel, position, data, projection)
         SELECT channel, position, data, $1 FROM ${schema}.pending_live_updates WHERE $2::text IS NULL OR position > $2
         ORDER BY position
         ON CONFLICT DO NOTHING
         RETURNING channel, position, data, projection`,
        [this.name, old?.checkpoint ?? null],
      );
      moved = published.rows;
      if (old !== undefined) {
        await client.query(`UPDATE ${core}.projections SET status = 'retired', updated_at = now() WHERE schema_name = $1`, [old.schema_name]);
      }
      const mine = await client.query(
        `UPDATE ${core}.projections SET status = 'serving', serving_since = now(), updated_at = now()
          WHERE schema_name = $1 AND status = 'building' AND checkpoint = $2`,
        [this.schema, this.checkpoint],
      );
      if (mine.rowCount !== 1) throw new Error(`generation ${this.schema} changed under its own lease`);
      // Below deadlock_timeout (1 s): see installViews.
      await client.query(`SET LOCAL lock_timeout = '300ms'`);
      await installViews(client, settings.readSchema, projection, this.schema);
      await client.query(`DELETE FROM ${schema}.pending_live_updates`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) {
        log.info({ projection: this.name }, 'read views busy; swap retried shortly');
        return false;
      }
      throw error;
    }
    this.mode = 'serving';
    this.#setActive(true);
    live.publish(moved);
    live.publishPosition(projection.name, projection.version, this.checkpoint);
    log.info({ projection: this.name, schema: this.schema, replaced: old?.schema_name ?? null, checkpoint: this.checkpoint }, 'new projection version swapped in');
    if (old !== undefined) await this.#dropRetired(client, old.schema_name);
    return true;
  }

  /** Best effort: a drop that cannot get its locks soon is left to the supervisor's cleanup. */
  async #dropRetired(client: pg.Client, schema: string): Promise<void> {
    const core = ident(this.deps.settings.coreSchema);
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '5s'`);
      await client.query(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`);
      await client.query(`DELETE FROM ${core}.projections WHERE schema_name = $1 AND status = 'retired'`, [schema]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      this.deps.log.warn({ err: error, schema }, 'could not drop the retired schema yet');
    }
  }

  async #measureLag(): Promise<void> {
    if (!this.active) return;
    const { store, metrics, projection } = this.deps;
    const head = await store.headPosition();
    let lagEvents = 0;
    let lagSeconds = 0;
    if (store.comparePositions(this.checkpoint, head) < 0) {
      const page = await store.readAll({ from: this.checkpoint, limit: 1, eventTypes: projection.eventTypes });
      const oldest = page.events[0];
      if (oldest !== undefined) {
        // In the PostgreSQL store the minor part is the global sequence, so this counts events.
        const behind = decodePosition(head)[1] - decodePosition(this.lastEvent)[1];
        lagEvents = Math.max(1, Number(behind));
        lagSeconds = Math.max(0, (Date.now() - Date.parse(oldest.occurredAt)) / 1000);
      }
    }
    this.lagEvents = lagEvents;
    metrics.lagEvents.set({ projection: this.name }, lagEvents);
    metrics.lagSeconds.set({ projection: this.name }, lagSeconds);
  }

  #setActive(active: boolean): void {
    this.active = active;
    for (const mode of ['serving', 'building'] as const) {
      this.deps.metrics.active.set({ projection: this.name, mode }, active && this.mode === mode ? 1 : 0);
    }
  }
}
