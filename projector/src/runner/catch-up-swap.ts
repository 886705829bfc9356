import { buildDeferredIndexes } from '../core/deferred-indexes.ts';
import type { Lease } from './progress.ts';
import { dropReplaced, swapIn } from './swap.ts';

/** Swaps a building generation in once it has caught up with the head (see swapIn); true when it did. */
export async function swapInWhenCaughtUp(lease: Lease): Promise<boolean> {
  const { deps, runner, client } = lease;
  const { projection, settings, live, log, store } = deps;
  // A batch cut short by time is not proof of having caught up: the head is.
  if (store.comparePositions(runner.checkpoint, await store.headPosition()) < 0) return false;
  if (lease.indexesPending !== false) {
    // Indexes a fresh build deferred: created now, caught up, each in its own short transaction.
    const started = performance.now();
    const built = await buildDeferredIndexes(client, runner.schema, log);
    runner.phases.indexes += performance.now() - started;
    lease.indexesPending = false;
    // Events that arrived meanwhile are projected first (with the indexes in place).
    if (built > 0 && store.comparePositions(runner.checkpoint, await store.headPosition()) < 0) return false;
  }
  const swapped = await swapIn(client, {
    core: settings.coreSchema,
    readSchema: settings.readSchema,
    projection,
    schema: runner.schema,
    checkpoint: runner.checkpoint,
    log,
  });
  if (swapped === undefined) return false;
  runner.mode = 'serving';
  lease.workingSet = undefined;
  runner.setActive(true);
  live.publish(swapped.moved);
  live.publishPosition(projection.name, projection.version, runner.checkpoint);
  log.info(
    { projection: runner.name, schema: runner.schema, replaced: swapped.replaced ?? null, checkpoint: runner.checkpoint },
    'new projection version swapped in',
  );
  if (swapped.replaced !== undefined) await dropReplaced(client, settings.coreSchema, swapped.replaced, log);
  return true;
}
