import pg from 'pg';
import { isDependencyUnavailable } from '@reeltime/platform';
import type { Logger } from 'pino';
import type { EventStore, Position } from '@reeltime/eventstore';
import { connectionConfig } from '../core/db.ts';
import { generation, type Status } from '../core/registry.ts';
import { Notices, type Notice } from '../model/notices.ts';
import type { Projection, WorkingSet } from '../model/projection.ts';
import { ident, insertRows, statementRecorder, type Statement } from '../model/sql.ts';
import type { ProjectorMetrics } from '../observability/metrics.ts';
import type { ProjectorSettings } from '../settings.ts';
import { BatchReader, type Batch } from './batches.ts';
import { loadInBulk } from './bulk-load.ts';
import { EventTally, measureLag } from './lag.ts';
import { acquireLease } from './lease.ts';
import { buildDeferredIndexes } from '../core/deferred-indexes.ts';
import { insertLiveUpdates, PENDING_LIVE_UPDATES, type LivePublisher } from './live.ts';
import { dropReplaced, swapIn } from './swap.ts';

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

/** Milliseconds spent per phase: a fresh build's bulk load, then per batch load / apply / flush = write / commit; and a few peaks. */
export type PhaseTimes = {
  bulk: number;
  copy: number;
  load: number;
  apply: number;
  flush: number;
  commit: number;
  indexes: number;
  batches: number;
  longestTransaction: number;
  workingSetRows: number;
};

/** How long an idle runner waits before moving a filtered checkpoint past unrelated events. */
const IDLE_MS = 250;
const SWAP_ATTEMPT_MS = 200;
const LAG_EVERY_MS = 2000;
const STALL_AFTER_MS = 30_000;
// Capped at a second: a database back from an outage is used again within about that long.
const ERROR_BACKOFF_MS = [200, 500, 1000];
/** Events applied between yields to the event loop while a batch is in flight. */
const YIELD_EVERY = 250;

type Prepared = { state: unknown; notices: Notice[]; statements?: Statement[] };

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
  readonly phases: PhaseTimes = {
    bulk: 0,
    copy: 0,
    load: 0,
    apply: 0,
    flush: 0,
    commit: 0,
    indexes: 0,
    batches: 0,
    longestTransaction: 0,
    workingSetRows: 0,
  };
  #progressAt = performance.now();
  #lastSwapAttempt = 0;
  #batches = 0;
  /** Only while building under this runner's lease (see WorkingSet); dropped on any failure. */
  #workingSet: WorkingSet<unknown> | undefined;
  /** Undefined = not checked yet under this lease. */
  #indexesPending: boolean | undefined;
  /** Events up to the checkpoint, for the position gauge. */
  readonly #tally: EventTally;
  /** Size of the next catch-up batch: adapted so that each transaction takes about rebuildTransactionMs. */
  #catchUpSize: number;

  constructor(private readonly deps: RunnerDeps) {
    this.checkpoint = deps.store.startPosition;
    this.lastEvent = deps.store.startPosition;
    this.#tally = new EventTally(deps.store);
    this.#catchUpSize = Math.min(deps.settings.batchSize, deps.settings.rebuildBatchSize);
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
      // A lost connection also lost the lease (the advisory lock was the session's): the lead
      // ends at once and the loop reconnects, instead of finding out at the next batch.
      const connectionLost = new AbortController();
      const client = this.#client(connectionLost);
      const leading = AbortSignal.any([signal, connectionLost.signal]);
      try {
        await client.connect();
        const leased = await acquireLease(client, `${settings.coreSchema}:${this.schema}`, settings.leaseRetryMs, leading);
        if (leased) {
          const outcome = await this.#lead(client, leading);
          if (outcome !== 'stopped') return outcome;
        }
        if (connectionLost.signal.aborted) throw connectionLost.signal.reason;
      } catch (error) {
        this.consecutiveErrors++;
        this.deps.metrics.errors.inc({ projection: this.name });
        // An unreachable database is an outage to wait out, not a fault of this projection.
        const level = connectionLost.signal.aborted || isDependencyUnavailable(error) ? 'warn' : 'error';
        log[level]({ err: error, projection: this.name, schema: this.schema }, 'projection batch failed; retrying');
        await sleep(ERROR_BACKOFF_MS[Math.min(this.consecutiveErrors - 1, ERROR_BACKOFF_MS.length - 1)]!, signal);
      } finally {
        this.#setActive(false);
        await client.end().catch(() => {});
      }
    }
    return 'stopped';
  }

  /** A connection of this runner's own (not from a pool), its errors logged and reported to `lost`. */
  #client(lost?: AbortController): pg.Client {
    const client = new pg.Client(connectionConfig(this.deps.settings.databaseUrl));
    client.on('error', (error) => {
      this.deps.log.warn({ err: error, projection: this.name }, 'projector connection error');
      lost?.abort(error);
    });
    return client;
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
    this.#indexesPending = undefined;
    this.#workingSet = undefined;
    const fresh = this.mode === 'building' && store.comparePositions(this.checkpoint, store.startPosition) === 0;
    if (fresh && projection.bulk !== undefined && settings.bulkLoad && settings.workingSetRows > 0) {
      // The events after the bulk load are few (or too many to hold): they go batch by batch, loading per batch.
      if (!(await this.#loadInBulk(client, signal))) return signal.aborted ? 'stopped' : 'retired';
    } else if (this.mode === 'building' || projection.resident) {
      this.#workingSet = await this.#warm(client);
    }
    log.info(
      { projection: this.name, schema: this.schema, mode: this.mode, checkpoint: this.checkpoint, workingSet: this.#workingSet?.rows },
      'projection lease taken',
    );
    // A build reads (and commits) in catch-up batches; once serving, batches are short again.
    const pageSize = this.mode === 'building' ? Math.max(settings.batchSize, settings.rebuildBatchSize) : settings.batchSize;
    const subscription = store.subscribe({ from: this.checkpoint, eventTypes: projection.eventTypes, batchSize: pageSize });
    const reader = new BatchReader(subscription, settings.batchSize, settings.batchMs, settings.batchLingerMs);
    const lag = setInterval(() => void this.#measureLag().catch(() => {}), LAG_EVERY_MS);
    // A build with a working set pipelines: while Postgres writes batch N (its own
    // transaction, awaited before batch N+1's begins), batch N+1 is read and applied in memory.
    let inflight: Promise<boolean> | undefined;
    const settle = async (): Promise<boolean> => {
      const pending = inflight;
      inflight = undefined;
      if (pending === undefined) return true;
      if (!(await pending)) return false;
      this.consecutiveErrors = 0;
      return true;
    };
    let ahead = this.checkpoint;
    let upkeepOwed = false;
    try {
      while (!signal.aborted) {
        const batch =
          this.mode === 'building'
            ? await reader.next(upkeepOwed ? 1 : IDLE_MS, signal, this.#catchUpSize, settings.rebuildBatchMs, settings.rebuildBatchMs)
            : await reader.next(upkeepOwed ? 1 : IDLE_MS, signal);
        if (batch.events.length > 0 || store.comparePositions(batch.checkpoint, ahead) > 0) {
          const workingSet = this.mode === 'building' || projection.resident ? this.#workingSet : undefined;
          if (workingSet !== undefined) {
            const prepared = await this.#prepare(client, workingSet, batch);
            if (!(await settle())) return 'retired';
            const writing = this.#commit(client, batch, prepared);
            writing.catch(() => {}); // awaited by settle()
            inflight = writing;
          } else {
            if (!(await settle())) return 'retired';
            if (!(await this.#commit(client, batch))) return 'retired';
            this.consecutiveErrors = 0;
          }
          ahead = batch.checkpoint;
        }
        upkeepOwed = false;
        // A build is caught up only once it reached the store's head: a short or even empty
        // catch-up batch may just have hit its time limit while Postgres was busy.
        const upkeeps = this.#workingSet?.upkeep !== undefined;
        const caughtUp =
          upkeeps &&
          (this.mode === 'serving'
            ? !batch.full
            : batch.events.length === 0 && store.comparePositions(batch.checkpoint, await store.headPosition()) >= 0);
        if (caughtUp && this.#workingSet?.upkeep !== undefined) {
          // The working set's background work (a resident projection's re-scoring), a step at
          // a time so that new events never wait long behind it.
          const upkept = this.#workingSet.upkeep(this.mode === 'building' ? settings.rebuildBatchMs : undefined);
          upkeepOwed = upkept !== undefined;
          if (upkept !== undefined) {
            // Written while the next step computes, as batches are.
            if (!(await settle())) return 'retired';
            const writing = this.#commit(client, { events: [], checkpoint: this.checkpoint, full: false }, upkept);
            writing.catch(() => {}); // awaited by settle()
            inflight = writing;
          }
        }
        const owesWork = this.#workingSet?.pending?.() ?? false;
        if (this.mode === 'building' && !batch.full && !owesWork && performance.now() - this.#lastSwapAttempt > SWAP_ATTEMPT_MS) {
          if (!(await settle())) return 'retired';
          this.#lastSwapAttempt = performance.now();
          if ((await this.#trySwap(client)) && this.deps.stopWhenServing) return 'swapped';
        }
      }
      // Stopping: the batch in flight still commits (or fails) before the lease goes.
      if (!(await settle())) return 'retired';
      return 'stopped';
    } finally {
      await inflight?.catch(() => {});
      this.#workingSet = undefined;
      clearInterval(lag);
      await reader.close();
    }
  }

  /**
   * Loads and applies a batch from the working set, outside any transaction, and moves the
   * working set past it at once (the next batch builds on it). Should the batch then fail to
   * commit, the error drops the working set, so nothing uncommitted outlives it.
   */
  async #prepare(client: pg.Client, workingSet: WorkingSet<unknown>, batch: Batch): Promise<Prepared> {
    const { projection, settings } = this.deps;
    if (batch.events.length === 0) return { state: undefined, notices: [] };
    let at = performance.now();
    const state = await workingSet.load(batch.events);
    this.phases.load += performance.now() - at;
    at = performance.now();
    const collector = new Notices(this.#recent);
    for (let i = 0; i < batch.events.length; i++) {
      projection.apply(state, batch.events[i]!, collector);
      // Let the batch in flight send its next statement meanwhile.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    projection.settle?.(state, collector);
    workingSet.commit(state);
    this.phases.workingSetRows = Math.max(this.phases.workingSetRows, workingSet.rows);
    if (!projection.resident && workingSet.rows > settings.workingSetRows) {
      this.#workingSet = undefined;
      this.deps.log.warn(
        { projection: this.name, rows: workingSet.rows, maxRows: settings.workingSetRows },
        'working set over its bound; loading per batch',
      );
    }
    const notices = collector.list();
    this.phases.apply += performance.now() - at;
    if (!projection.flushOnlyWrites) return { state, notices };
    // The statements are built now, so the transaction only sends them.
    at = performance.now();
    const recorder = statementRecorder(client);
    await projection.flush(recorder.db, this.schema, state);
    this.phases.flush += performance.now() - at;
    return { state, notices, statements: recorder.statements };
  }

  /** See loadInBulk; false when the generation was taken over or retired meanwhile, or on abort. */
  async #loadInBulk(client: pg.Client, signal: AbortSignal): Promise<boolean> {
    const { projection, settings, store, metrics } = this.deps;
    const started = performance.now();
    const loaded = await loadInBulk({
      client,
      projection,
      schema: this.schema,
      settings,
      store,
      signal,
      recent: this.#recent,
      log: this.deps.log,
      connect: async () => {
        const second = this.#client();
        await second.connect();
        return second;
      },
      onProgress: (events) => {
        this.eventsApplied += events;
        this.#progressAt = performance.now();
        metrics.events.inc({ projection: this.name }, events);
      },
    });
    if (loaded === undefined) return !signal.aborted;
    this.phases.bulk += performance.now() - started - loaded.copyMs;
    this.phases.copy += loaded.copyMs;
    if (
      !(await this.#commit(
        client,
        { events: [], checkpoint: loaded.checkpoint, full: false },
        { state: undefined, notices: [], statements: [] },
      ))
    ) {
      return false;
    }
    this.lastEvent = loaded.lastEvent;
    return true;
  }

  /**
   * Catch-up batches grow (at most doubling) while transactions stay short and shrink when
   * one ran long, between the live batch size and rebuildBatchSize: each transaction holds
   * back the event store's readers for as long as it runs, whatever the machine's load.
   */
  #adapt(events: number, ms: number): void {
    const { batchSize, rebuildBatchSize, rebuildTransactionMs } = this.deps.settings;
    const next = Math.round(events * Math.min(2, Math.max(0.5, rebuildTransactionMs / Math.max(ms, 1))));
    this.#catchUpSize = Math.min(rebuildBatchSize, Math.max(Math.min(batchSize, rebuildBatchSize), next));
  }

  /** A build's working set, read once under the lease (empty for a fresh build). */
  async #warm(client: pg.Client): Promise<WorkingSet<unknown> | undefined> {
    const { projection, settings, log } = this.deps;
    if (projection.workingSet === undefined || (settings.workingSetRows === 0 && !projection.resident)) return undefined;
    const workingSet = projection.workingSet({ settings });
    const started = performance.now();
    const warmed = await workingSet.warm(client, this.schema, settings.workingSetRows, {
      store: this.deps.store,
      checkpoint: this.checkpoint,
    });
    this.phases.load += performance.now() - started;
    if (warmed) return workingSet;
    log.warn(
      { projection: this.name, schema: this.schema, maxRows: settings.workingSetRows },
      'build too large for its working set; loading per batch',
    );
    return undefined;
  }

  #recent = (occurredAt: string): boolean => Date.parse(occurredAt) >= Date.now() - this.deps.settings.retentionDays * 86_400_000;

  /** One transaction: checkpoint compare-and-set, the batch's changes, its notices. */
  async #commit(client: pg.Client, batch: Batch, prepared?: Prepared): Promise<boolean> {
    const { projection, settings, metrics, live } = this.deps;
    const started = performance.now();
    const core = ident(settings.coreSchema);
    let notices: Notice[] = [];
    await client.query('BEGIN');
    const begun = performance.now();
    try {
      const cas = await client.query(
        `UPDATE ${core}.projections SET checkpoint = $3, updated_at = now() WHERE schema_name = $1 AND checkpoint = $2 AND status = $4`,
        [this.schema, this.checkpoint, batch.checkpoint, this.mode],
      );
      if (cas.rowCount !== 1) {
        await client.query('ROLLBACK');
        this.#workingSet = undefined;
        this.deps.log.warn(
          { projection: this.name, schema: this.schema },
          'checkpoint moved or generation retired elsewhere; stepping down',
        );
        return false;
      }
      let at = performance.now();
      const lap = (phase: keyof PhaseTimes) => {
        const now = performance.now();
        this.phases[phase] += now - at;
        at = now;
      };
      if (prepared !== undefined) {
        notices = prepared.notices;
        if (prepared.statements !== undefined) {
          for (const statement of prepared.statements) await client.query(statement.text, statement.values);
        } else if (prepared.state !== undefined) {
          await projection.flush(client, this.schema, prepared.state);
        }
      } else if (batch.events.length > 0) {
        const state = await projection.load(client, this.schema, batch.events);
        lap('load');
        const collector = new Notices(this.#recent);
        for (const event of batch.events) projection.apply(state, event, collector);
        projection.settle?.(state, collector);
        notices = collector.list();
        lap('apply');
        await projection.flush(client, this.schema, state);
      }
      if (this.mode === 'serving') await insertLiveUpdates(client, settings.coreSchema, projection.name, notices);
      else await this.#holdBack(client, notices);
      lap('flush');
      await client.query('COMMIT');
      lap('commit');
      this.phases.batches++;
      const took = performance.now() - begun;
      this.phases.longestTransaction = Math.max(this.phases.longestTransaction, took);
      if (this.mode === 'building' && batch.full) this.#adapt(batch.events.length, took);
      this.deps.log.debug(
        { projection: this.name, events: batch.events.length, notices: notices.length, ms: Math.round(took) },
        'batch committed',
      );
    } catch (error) {
      // The working set may be ahead of what committed: the next lease warms a new one.
      this.#workingSet = undefined;
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
    // Typed arrays rather than JSON: a build's last days of events bring tens of thousands.
    await insertRows(client, this.schema, PENDING_LIVE_UPDATES, ahead);
    if (served !== undefined && ++this.#batches % 50 === 0) {
      await client.query(`DELETE FROM ${schema}.pending_live_updates WHERE position <= $1`, [served]);
    }
  }

  /** Swaps this generation in once it has caught up with the head (see swapIn). */
  async #trySwap(client: pg.Client): Promise<boolean> {
    const { projection, settings, live, log, store } = this.deps;
    // A batch cut short by time is not proof of having caught up: the head is.
    if (store.comparePositions(this.checkpoint, await store.headPosition()) < 0) return false;
    if (this.#indexesPending !== false) {
      // Indexes a fresh build deferred: created now, caught up, each in its own short transaction.
      const started = performance.now();
      const built = await buildDeferredIndexes(client, this.schema, log);
      this.phases.indexes += performance.now() - started;
      this.#indexesPending = false;
      // Events that arrived meanwhile are projected first (with the indexes in place).
      if (built > 0 && store.comparePositions(this.checkpoint, await store.headPosition()) < 0) return false;
    }
    const swapped = await swapIn(client, {
      core: settings.coreSchema,
      readSchema: settings.readSchema,
      projection,
      schema: this.schema,
      checkpoint: this.checkpoint,
      log,
    });
    if (swapped === undefined) return false;
    this.mode = 'serving';
    this.#workingSet = undefined;
    this.#setActive(true);
    live.publish(swapped.moved);
    live.publishPosition(projection.name, projection.version, this.checkpoint);
    log.info(
      { projection: this.name, schema: this.schema, replaced: swapped.replaced ?? null, checkpoint: this.checkpoint },
      'new projection version swapped in',
    );
    if (swapped.replaced !== undefined) await dropReplaced(client, settings.coreSchema, swapped.replaced, log);
    return true;
  }

  async #measureLag(): Promise<void> {
    if (!this.active) return;
    const { store, metrics, projection } = this.deps;
    const checkpoint = this.checkpoint;
    const lag = await measureLag(store, checkpoint, projection.eventTypes);
    const position = await this.#tally.advanceTo(checkpoint);
    this.lagEvents = lag.events.count;
    metrics.lagEvents.set({ projection: this.name }, lag.events.count);
    metrics.lagSeconds.set({ projection: this.name }, lag.seconds);
    metrics.position.set({ projection: this.name }, position.count);
    metrics.lagEventsExact.set({ projection: this.name }, lag.events.exact ? 1 : 0);
  }

  #setActive(active: boolean): void {
    this.active = active;
    for (const mode of ['serving', 'building'] as const) {
      this.deps.metrics.active.set({ projection: this.name, mode }, active && this.mode === mode ? 1 : 0);
    }
  }
}
