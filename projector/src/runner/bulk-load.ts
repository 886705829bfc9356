import type pg from 'pg';
import type { Logger } from 'pino';
import { onClientInTransaction } from '@reeltime/eventstore/transactions';
import type { EventStore, Position } from '@reeltime/eventstore';
import { Notices } from '../model/notices.ts';
import type { BulkRows, Projection } from '../model/projection.ts';
import { copyRows, ident, type TableSpec } from '../model/sql.ts';
import type { ProjectorSettings } from '../settings.ts';
import { buildDeferredIndex, deferredIndexes } from '../core/deferred-indexes.ts';
import { BatchReader } from './batches.ts';
import { PENDING_LIVE_UPDATES } from './live.ts';

export type BulkLoadDeps = {
  client: pg.ClientBase;
  projection: Projection;
  schema: string;
  settings: ProjectorSettings;
  store: EventStore;
  signal: AbortSignal;
  /** Whether an event is recent enough to be worth a live notice. */
  recent: (occurredAt: string) => boolean;
  /** A second connection: drained rows are written on it while events are applied, then both copy. */
  connect: () => Promise<pg.Client>;
  log: Logger;
  /** Called as events are applied in memory (progress, stall detection), and with 0 as copying goes on. */
  onProgress: (events: number) => void;
};

/** What was copied in: it counts once the caller commits `checkpoint`. */
export type BulkLoaded = { checkpoint: Position; lastEvent: Position; events: number; copyMs: number };

/**
 * Rows per COPY transaction. Each transaction stays short, because the event store's readers
 * wait for every transaction older than the events they read.
 */
const ROWS_PER_TRANSACTION = 50_000;
/** Events applied between yields to the event loop (progress bar, metrics, shutdown). */
const YIELD_EVERY = 2000;
const IDLE_MS = 250;

/** Runs the tasks on the connections, each connection taking the next task as it finishes one. */
async function share<T>(
  clients: readonly pg.ClientBase[],
  tasks: readonly T[],
  run: (client: pg.ClientBase, task: T) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  let next = 0;
  let failed = false;
  const settled = await Promise.allSettled(
    clients.map(async (client) => {
      try {
        while (next < tasks.length && !signal.aborted && !failed) await run(client, tasks[next++]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }),
  );
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
}

/**
 * A fresh build's bulk load. It applies every event up to the head, or until the state
 * outgrows the working-set bound, to one in-memory state. It then copies that state's rows into
 * the still empty tables, in short transactions that leave the checkpoint at the start, and
 * builds the indexes the build deferred (they are needed from the next batch on).
 *
 * Nothing of it counts until the caller commits the checkpoint. A load cut short by a crash or a
 * shutdown leaves rows under a start checkpoint, and the next load truncates them first.
 * Returns undefined when there was nothing to load or the load was abandoned (signal).
 */
export async function loadInBulk(deps: BulkLoadDeps): Promise<BulkLoaded | undefined> {
  const { client, projection, schema, settings, store, signal } = deps;
  const bulk = projection.bulk;
  if (bulk === undefined) return undefined;
  const state = bulk.empty();
  const tables = [...bulk.tables, PENDING_LIVE_UPDATES.table].map((table) => `${ident(schema)}.${ident(table)}`);
  await client.query(`TRUNCATE ${tables.join(', ')}`);
  const second = await deps.connect();
  try {
    // What the state lets go of early is written on the second connection, in order.
    let writes = Promise.resolve();
    let writeError: unknown;
    const drain = () => {
      const write = bulk.drain?.(state);
      if (write === undefined) return;
      writes = writes
        .then(() => (writeError === undefined ? onClientInTransaction(second, () => write(second, schema)) : undefined))
        .catch((error: unknown) => {
          writeError ??= error;
        });
    };

    const notices = new Notices(deps.recent);
    const subscription = store.subscribe({
      from: store.startPosition,
      eventTypes: projection.eventTypes,
      batchSize: settings.rebuildBatchSize,
    });
    const reader = new BatchReader(subscription, settings.rebuildBatchSize, settings.rebuildBatchMs, settings.rebuildBatchMs);
    let checkpoint = store.startPosition;
    let lastEvent = store.startPosition;
    let events = 0;
    try {
      for (;;) {
        const batch = await reader.next(IDLE_MS, signal);
        if (signal.aborted || writeError !== undefined) break;
        for (let i = 0; i < batch.events.length; i++) {
          projection.apply(state, batch.events[i]!, notices);
          if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((resolve) => setImmediate(resolve));
        }
        projection.settle?.(state, notices);
        drain();
        checkpoint = batch.checkpoint;
        lastEvent = batch.events.at(-1)?.position ?? lastEvent;
        events += batch.events.length;
        deps.onProgress(batch.events.length);
        if (bulk.size(state) > settings.workingSetRows) break;
        // Caught up: what follows goes batch by batch. A batch cut short by time is no proof of it.
        if (!batch.full && store.comparePositions(checkpoint, await store.headPosition()) >= 0) break;
      }
    } finally {
      await reader.close();
    }
    await writes;
    if (writeError !== undefined) throw writeError;
    if (signal.aborted || events === 0) return undefined;
    const copying = performance.now();

    // Both connections take chunks (then indexes) as they finish the last: Postgres ingests on
    // two cores while this process encodes for both.
    // Every notice is held back: the swap publishes only those past the version it replaces.
    const chunks: BulkRows[] = [];
    for (const { spec, rows } of [...bulk.rows(state), { spec: PENDING_LIVE_UPDATES as TableSpec<never>, rows: notices.list() }]) {
      for (let start = 0; start < rows.length; start += ROWS_PER_TRANSACTION)
        chunks.push({ spec, rows: rows.slice(start, start + ROWS_PER_TRANSACTION) });
    }
    const clients = [client, second];
    const copyChunk = async (db: pg.ClientBase, chunk: BulkRows) => {
      await onClientInTransaction(db, () => copyRows(db, schema, chunk.spec, chunk.rows as never[]));
      deps.onProgress(0);
    };
    await share(clients, chunks, copyChunk, signal);
    if (signal.aborted) return undefined;
    await share(clients, await deferredIndexes(client, schema), (db, name) => buildDeferredIndex(db, schema, name, deps.log), signal);
    if (signal.aborted) return undefined;
    return { checkpoint, lastEvent, events, copyMs: performance.now() - copying };
  } finally {
    await second.end().catch(() => {});
  }
}
