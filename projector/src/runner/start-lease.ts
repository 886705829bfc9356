import { generation } from '../core/registry.ts';
import type { WorkingSet } from '../model/projection.ts';
import { loadInBulk } from './bulk-load.ts';
import { commitBatch } from './commit.ts';
import type { Lease, RunnerOutcome } from './progress.ts';

/**
 * Picks the generation up where it stands under a fresh lease, and readies its working set: a
 * fresh build loads in bulk, other builds (and resident projections) warm one. An outcome when
 * the lease's work ends here.
 */
export async function startLease(lease: Lease, signal: AbortSignal): Promise<RunnerOutcome | undefined> {
  const { deps, runner, client } = lease;
  const { projection, settings, store, log } = deps;
  const gen = await generation(client, settings.coreSchema, runner.schema);
  if (gen === undefined || gen.status === 'retired') return 'retired';
  runner.mode = gen.status;
  runner.checkpoint = gen.checkpoint;
  if (store.comparePositions(runner.lastEvent, gen.checkpoint) < 0) runner.lastEvent = gen.checkpoint;
  runner.progressAt = performance.now();
  runner.setActive(true);
  const fresh = runner.mode === 'building' && store.comparePositions(runner.checkpoint, store.startPosition) === 0;
  if (fresh && projection.bulk !== undefined && settings.bulkLoad && settings.workingSetRows > 0) {
    // The events after the bulk load are few (or too many to hold): they go batch by batch, loading per batch.
    if (!(await loadInBulkUnderLease(lease, signal))) return signal.aborted ? 'stopped' : 'retired';
  } else if (runner.mode === 'building' || projection.resident) {
    lease.workingSet = await warmWorkingSet(lease);
  }
  log.info(
    {
      projection: runner.name,
      schema: runner.schema,
      mode: runner.mode,
      checkpoint: runner.checkpoint,
      workingSet: lease.workingSet?.rows,
    },
    'projection lease taken',
  );
  return undefined;
}

/** A build's working set, read once under the lease (empty for a fresh build). */
async function warmWorkingSet(lease: Lease): Promise<WorkingSet<unknown> | undefined> {
  const { deps, runner, client } = lease;
  const { projection, settings, log } = deps;
  if (projection.workingSet === undefined || (settings.workingSetRows === 0 && !projection.resident)) return undefined;
  const workingSet = projection.workingSet({ settings });
  const started = performance.now();
  const warmed = await workingSet.warm(client, runner.schema, settings.workingSetRows, {
    store: deps.store,
    checkpoint: runner.checkpoint,
  });
  runner.phases.load += performance.now() - started;
  if (warmed) return workingSet;
  log.warn(
    { projection: runner.name, schema: runner.schema, maxRows: settings.workingSetRows },
    'build too large for its working set; loading per batch',
  );
  return undefined;
}

/** A fresh build's bulk load (see loadInBulk), then its checkpoint; false when the generation was taken over or retired meanwhile, or on abort. */
async function loadInBulkUnderLease(lease: Lease, signal: AbortSignal): Promise<boolean> {
  const { deps, runner, client } = lease;
  const { projection, settings, store, metrics } = deps;
  const started = performance.now();
  const loaded = await loadInBulk({
    client,
    projection,
    schema: runner.schema,
    settings,
    store,
    signal,
    recent: lease.recent,
    log: deps.log,
    connect: lease.connect,
    onProgress: (events) => {
      runner.eventsApplied += events;
      runner.progressAt = performance.now();
      metrics.events.inc({ projection: runner.name }, events);
    },
  });
  if (loaded === undefined) return !signal.aborted;
  runner.phases.bulk += performance.now() - started - loaded.copyMs;
  runner.phases.copy += loaded.copyMs;
  const committed = await commitBatch(
    lease,
    { events: [], checkpoint: loaded.checkpoint, full: false },
    { state: undefined, notices: [], statements: [] },
  );
  if (!committed) return false;
  runner.lastEvent = loaded.lastEvent;
  return true;
}
