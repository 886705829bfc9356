import { Notices, type Notice } from '../model/notices.ts';
import type { WorkingSet } from '../model/projection.ts';
import { statementRecorder, type Statement } from '../model/sql.ts';
import type { Batch } from './batches.ts';
import type { Lease } from './progress.ts';

/** A batch applied in memory, waiting for its transaction: the state to flush (or the statements already built) and its notices. */
export type Prepared = { state: unknown; notices: Notice[]; statements?: Statement[] };

/** Events applied between yields to the event loop while a batch is in flight. */
const YIELD_EVERY = 250;

/**
 * Loads and applies a batch from the working set, outside any transaction, and moves the
 * working set past it at once (the next batch builds on it). Should the batch then fail to
 * commit, the error drops the working set, so nothing uncommitted outlives it.
 */
export async function prepareBatch(lease: Lease, workingSet: WorkingSet<unknown>, batch: Batch): Promise<Prepared> {
  const { deps, runner, client } = lease;
  const { projection, settings } = deps;
  const phases = runner.phases;
  if (batch.events.length === 0) return { state: undefined, notices: [] };
  let at = performance.now();
  const state = await workingSet.load(batch.events);
  phases.load += performance.now() - at;
  at = performance.now();
  const collector = new Notices(lease.recent);
  for (let i = 0; i < batch.events.length; i++) {
    projection.apply(state, batch.events[i]!, collector);
    // Let the batch in flight send its next statement meanwhile.
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  projection.settle?.(state, collector);
  workingSet.commit(state);
  phases.workingSetRows = Math.max(phases.workingSetRows, workingSet.rows);
  if (!projection.resident && workingSet.rows > settings.workingSetRows) {
    lease.workingSet = undefined;
    deps.log.warn(
      { projection: runner.name, rows: workingSet.rows, maxRows: settings.workingSetRows },
      'working set over its bound; loading per batch',
    );
  }
  const notices = collector.list();
  phases.apply += performance.now() - at;
  if (!projection.flushOnlyWrites) return { state, notices };
  // The statements are built now, so the transaction only sends them.
  at = performance.now();
  const recorder = statementRecorder(client);
  await projection.flush(recorder.db, runner.schema, state);
  phases.flush += performance.now() - at;
  return { state, notices, statements: recorder.statements };
}
