import { onClientInTransaction, rollBack } from '@reeltime/eventstore/transactions';
import { Notices, type Notice } from '../model/notices.ts';
import { ident, insertRows } from '../model/sql.ts';
import type { Batch } from './batches.ts';
import { nextCatchUpSize } from './catch-up-size.ts';
import { insertLiveUpdates, PENDING_LIVE_UPDATES } from './live.ts';
import { stopwatch, type Lap } from './phases.ts';
import type { Prepared } from './prepare.ts';
import type { Lease } from './progress.ts';

/**
 * One transaction: checkpoint compare-and-set, the batch's changes, its notices. False, with
 * nothing written, when the checkpoint moved or the generation was retired elsewhere.
 */
export async function commitBatch(lease: Lease, batch: Batch, prepared?: Prepared): Promise<boolean> {
  const { deps, runner, client } = lease;
  const { projection, settings, metrics, live, log } = deps;
  const started = performance.now();
  let begun = started;
  let lap = stopwatch(runner.phases);
  let notices: Notice[] = [];
  let won: boolean;
  try {
    won = await onClientInTransaction(client, async () => {
      begun = performance.now();
      const cas = await client.query(
        `UPDATE ${ident(settings.coreSchema)}.projections SET checkpoint = $3, updated_at = now()
          WHERE schema_name = $1 AND checkpoint = $2 AND status = $4`,
        [runner.schema, runner.checkpoint, batch.checkpoint, runner.mode],
      );
      if (cas.rowCount !== 1) return rollBack(false);
      lap = stopwatch(runner.phases);
      notices = await writeBatch(lease, batch, prepared, lap);
      if (runner.mode === 'serving') await insertLiveUpdates(client, settings.coreSchema, projection.name, notices);
      else await holdBack(lease, notices);
      lap('flush');
      return true;
    });
  } catch (error) {
    // The working set may be ahead of what committed: the next lease warms a new one.
    lease.workingSet = undefined;
    throw error;
  }
  if (!won) {
    lease.workingSet = undefined;
    log.warn({ projection: runner.name, schema: runner.schema }, 'checkpoint moved or generation retired elsewhere; stepping down');
    return false;
  }
  lap('commit');
  runner.phases.batches++;
  const took = performance.now() - begun;
  runner.phases.longestTransaction = Math.max(runner.phases.longestTransaction, took);
  if (runner.mode === 'building' && batch.full) runner.catchUpSize = nextCatchUpSize(settings, batch.events.length, took);
  log.debug({ projection: runner.name, events: batch.events.length, notices: notices.length, ms: Math.round(took) }, 'batch committed');

  runner.checkpoint = batch.checkpoint;
  const last = batch.events.at(-1);
  if (last !== undefined) runner.lastEvent = last.position;
  runner.eventsApplied += batch.events.length;
  runner.progressAt = performance.now();
  metrics.batchEvents.observe({ projection: runner.name }, batch.events.length);
  metrics.batchSeconds.observe({ projection: runner.name }, (performance.now() - started) / 1000);
  metrics.events.inc({ projection: runner.name }, batch.events.length);
  if (runner.mode === 'serving') {
    live.publish(notices.map((notice) => ({ ...notice, projection: projection.name })));
    live.publishPosition(projection.name, projection.version, runner.checkpoint);
  }
  return true;
}

/** Writes a prepared batch, or loads, applies and flushes one here; returns its notices. */
async function writeBatch(lease: Lease, batch: Batch, prepared: Prepared | undefined, lap: Lap): Promise<Notice[]> {
  const { deps, runner, client } = lease;
  const { projection } = deps;
  if (prepared !== undefined) {
    if (prepared.statements !== undefined) {
      for (const statement of prepared.statements) await client.query(statement.text, statement.values);
    } else if (prepared.state !== undefined) {
      await projection.flush(client, runner.schema, prepared.state);
    }
    return prepared.notices;
  }
  if (batch.events.length === 0) return [];
  const state = await projection.load(client, runner.schema, batch.events);
  lap('load');
  const collector = new Notices(lease.recent);
  for (const event of batch.events) projection.apply(state, event, collector);
  projection.settle?.(state, collector);
  const notices = collector.list();
  lap('apply');
  await projection.flush(client, runner.schema, state);
  return notices;
}

/**
 * A building generation keeps the notices of events the serving one may not have projected
 * yet; the swap moves those into live_updates, so the log has no gap and no duplicate.
 */
async function holdBack(lease: Lease, notices: readonly Notice[]): Promise<void> {
  if (notices.length === 0) return;
  const { deps, runner, client } = lease;
  const { rows } = await client.query<{ checkpoint: string }>(
    `SELECT checkpoint FROM ${ident(deps.settings.coreSchema)}.projections WHERE projection = $1 AND status = 'serving'`,
    [runner.name],
  );
  const served = rows[0]?.checkpoint;
  const ahead = served === undefined ? notices : notices.filter((notice) => notice.position > served);
  // Typed arrays rather than JSON: a build's last days of events bring tens of thousands.
  await insertRows(client, runner.schema, PENDING_LIVE_UPDATES, ahead);
  if (served !== undefined && ++runner.batchesHeldBack % 50 === 0) {
    await client.query(`DELETE FROM ${ident(runner.schema)}.pending_live_updates WHERE position <= $1`, [served]);
  }
}
