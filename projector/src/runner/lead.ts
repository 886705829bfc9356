import { BatchReader } from './batches.ts';
import { swapInWhenCaughtUp } from './catch-up-swap.ts';
import { commitBatch } from './commit.ts';
import { WriteInFlight } from './in-flight.ts';
import { prepareBatch } from './prepare.ts';
import type { Lease, RunnerOutcome, RunnerProgress } from './progress.ts';
import { startLease } from './start-lease.ts';

/** How long an idle runner waits before moving a filtered checkpoint past unrelated events. */
const IDLE_MS = 250;
const SWAP_ATTEMPT_MS = 200;
const LAG_EVERY_MS = 2000;

/**
 * The work of one lease: batch after batch from the checkpoint on, each committed with a
 * compare-and-set of the checkpoint; a resident working set's upkeep once caught up; a build
 * swapped in once it reached the head. Ends on abort, or when the generation was taken over
 * or retired.
 */
export async function lead(lease: Lease, signal: AbortSignal, measureLag: () => Promise<void>): Promise<RunnerOutcome> {
  const ended = await startLease(lease, signal);
  if (ended !== undefined) return ended;
  const { deps, runner } = lease;
  const { projection, settings, store } = deps;
  // A build reads (and commits) in catch-up batches; once serving, batches are short again.
  const pageSize = runner.mode === 'building' ? Math.max(settings.batchSize, settings.rebuildBatchSize) : settings.batchSize;
  const subscription = store.subscribe({ from: runner.checkpoint, eventTypes: projection.eventTypes, batchSize: pageSize });
  const window = projection.liveBatchMs;
  const reader = new BatchReader(subscription, settings.batchSize, window ?? settings.batchMs, window ?? settings.batchLingerMs);
  const lag = setInterval(() => void measureLag().catch(() => {}), LAG_EVERY_MS);
  const inFlight = new WriteInFlight(runner);
  let ahead = runner.checkpoint;
  let upkeepOwed = false;
  try {
    while (!signal.aborted) {
      const batch =
        runner.mode === 'building'
          ? await reader.next(upkeepOwed ? 1 : IDLE_MS, signal, runner.catchUpSize, settings.rebuildBatchMs, settings.rebuildBatchMs)
          : await reader.next(upkeepOwed ? 1 : IDLE_MS, signal);
      if (batch.events.length > 0 || store.comparePositions(batch.checkpoint, ahead) > 0) {
        const workingSet = runner.mode === 'building' || projection.resident ? lease.workingSet : undefined;
        if (workingSet !== undefined) {
          if (!(await settleWhileServing(runner.mode, inFlight))) return 'retired';
          const prepared = await prepareBatch(lease, workingSet, batch);
          if (!(await inFlight.settle())) return 'retired';
          inFlight.start(commitBatch(lease, batch, prepared));
        } else {
          if (!(await inFlight.settle())) return 'retired';
          if (!(await commitBatch(lease, batch))) return 'retired';
          runner.consecutiveErrors = 0;
        }
        ahead = batch.checkpoint;
      }
      upkeepOwed = false;
      // A build is caught up only once it reached the store's head: a short or even empty
      // catch-up batch may just have hit its time limit while Postgres was busy.
      const upkeeps = lease.workingSet?.upkeep !== undefined;
      const caughtUp =
        upkeeps &&
        (runner.mode === 'serving'
          ? !batch.full
          : batch.events.length === 0 && store.comparePositions(batch.checkpoint, await store.headPosition()) >= 0);
      if (caughtUp && lease.workingSet?.upkeep !== undefined) {
        // The working set's background work (a resident projection's re-scoring), a step at
        // a time so that new events never wait long behind it.
        if (!(await settleWhileServing(runner.mode, inFlight))) return 'retired';
        const upkept = await lease.workingSet.upkeep(runner.mode === 'building' ? settings.rebuildBatchMs : undefined);
        upkeepOwed = upkept !== undefined;
        if (upkept !== undefined) {
          // Written while the next step computes, as batches are.
          if (!(await inFlight.settle())) return 'retired';
          inFlight.start(commitBatch(lease, { events: [], checkpoint: runner.checkpoint, full: false }, upkept));
        }
      }
      const owesWork = lease.workingSet?.pending?.() ?? false;
      if (runner.mode === 'building' && !batch.full && !owesWork && performance.now() - runner.lastSwapAttempt > SWAP_ATTEMPT_MS) {
        if (!(await inFlight.settle())) return 'retired';
        runner.lastSwapAttempt = performance.now();
        if ((await swapInWhenCaughtUp(lease)) && deps.stopWhenServing) return 'swapped';
      }
    }
    // Stopping: the batch in flight still commits (or fails) before the lease goes.
    if (!(await inFlight.settle())) return 'retired';
    return 'stopped';
  } finally {
    await inFlight.drain();
    lease.workingSet = undefined;
    clearInterval(lag);
    await reader.close();
  }
}

/**
 * Serving, a transaction is never left open across this thread's CPU work (a resident
 * projection's re-scoring): from its first write it holds back the horizon below which every
 * reader of the PostgreSQL store sees events, so each of its turns on a busy event loop would
 * delay every other projection's next batch, and with it the feed's live notices. A build
 * keeps overlapping its next batch's preparation with the write, for its catch-up speed (its
 * transactions are sized by rebuildTransactionMs instead).
 */
async function settleWhileServing(mode: RunnerProgress['mode'], inFlight: WriteInFlight): Promise<boolean> {
  return mode === 'serving' ? inFlight.settle() : true;
}
