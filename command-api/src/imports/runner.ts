import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { EventStore } from '@reeltime/eventstore';
import { importStream, type ReelEvent } from '@reeltime/schemas';
import { latestCalendarDay } from '../handling/answers.ts';
import { deterministicUuid } from '../handling/event-ids.ts';
import type { StreamQueue } from '../handling/stream-queue.ts';
import { applyPlan } from './apply.ts';
import { matchRows, type Matched } from './match.ts';
import { planImport } from './plan.ts';
import { ImportProgress } from './progress.ts';
import { matchMissing, type TitleRequests } from './title-requests.ts';
import { readUpload, type UploadLimits } from './read-upload.ts';
import type { UploadStore, StoredUpload } from './upload-store.ts';

export type ImportRunnerDeps = {
  store: EventStore;
  queue: StreamQueue;
  /** Holds the read models too (the catalog to match against, the user's watchlist id). */
  pool: pg.Pool;
  readSchema: string;
  uploads: UploadStore;
  /** Titles missing from the catalog, fetched by ingest (when it runs with a TMDb credential). */
  titleRequests: TitleRequests;
  limits: UploadLimits;
  log: Logger;
};

const MAX_ATTEMPTS = 3;
const MATCH_CHUNK = 5000;
/** How long an import waits for the read models to show the user's watchlist (a new account's). */
const WATCHLIST_WAIT_MS = 30_000;
/** Progress events at most this often (and at the end of every step that took longer). */
const PROGRESS_EVERY_MS = 500;

/** Milliseconds since the previous call (or since made). */
function phaseClock(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = Math.round(now - last);
    last = now;
    return ms;
  };
}

/** The id of an import's started/completed/failed event: a repeated append is recognised. */
export const importEventId = (importId: string, what: string) => deterministicUuid('import', importId, what);

/**
 * Runs imports in the background, one at a time per process (they are heavy; commands keep
 * priority). Imports left running by a stopped process are taken over at start: they run again
 * from the file, and the deciders make the rows already imported count as already present.
 */
export class ImportRunner {
  readonly #limit = pLimit(1);
  readonly #deps: ImportRunnerDeps;
  #stopped = false;

  constructor(deps: ImportRunnerDeps) {
    this.#deps = deps;
  }

  submit(importId: string): Promise<void> {
    return this.#limit(() => (this.#stopped ? Promise.resolve() : this.#run(importId)));
  }

  /** Takes over imports that stopped processes left running. */
  async resumeStale(): Promise<void> {
    for (const importId of await this.#deps.uploads.stale()) void this.submit(importId);
  }

  /** Resolves once every submitted import has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#limit.activeCount + this.#limit.pendingCount > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#limit.clearQueue();
    await this.idle();
  }

  async #run(importId: string): Promise<void> {
    const { uploads, log } = this.#deps;
    const upload = await uploads.claim(importId).catch((error: unknown) => {
      log.warn({ err: error, importId }, 'claiming an import');
      return undefined;
    });
    if (upload === undefined) return;
    try {
      await this.#import(upload);
    } catch (error) {
      log.error({ err: error, importId, correlationId: upload.correlationId, attempt: upload.attempts }, 'import failed');
      if (upload.attempts < MAX_ATTEMPTS) {
        await uploads.release(importId).catch(() => {});
        setTimeout(() => void this.submit(importId), 2000 * upload.attempts).unref();
        return;
      }
      await this.#append(
        upload,
        [
          {
            type: 'ImportFailed',
            data: {
              importId,
              userId: upload.userId,
              reason: 'The import stopped after repeated errors; nothing was imported twice. Try again later.',
            },
          },
        ],
        'failed',
      ).catch((appendError: unknown) => log.error({ err: appendError, importId }, 'recording an import failure'));
      await uploads.finish(importId, 'failed').catch(() => {});
    }
  }

  async #import(upload: StoredUpload): Promise<void> {
    const { store, pool, readSchema, uploads, limits, queue } = this.#deps;
    const { importId, userId, source } = upload;
    const { rows } = readUpload({ name: upload.fileName, bytes: upload.content }, limits, source);
    // The upload's answer appended it; a process that stopped right after storing the file did not.
    await this.#append(
      upload,
      [{ type: 'ImportStarted', data: { importId, userId, source, fileName: upload.fileName, rows: rows.length } }],
      'started',
    );

    const progress = new ImportProgress(rows);
    let lastReport = Date.now();
    let reported = -1;
    const report = async (force = false) => {
      const { matched, imported, alreadyPresent, unmatchedCount } = progress.counters;
      const done = matched + unmatchedCount;
      if (!force && (done === reported || Date.now() - lastReport < PROGRESS_EVERY_MS)) return;
      lastReport = Date.now();
      reported = done;
      await this.#append(upload, [
        {
          type: 'ImportProgressed',
          data: { importId, userId, matched, imported, alreadyPresent, unmatchedCount, unmatched: progress.takeUnmatched() },
        },
      ]);
      await uploads.heartbeat(importId);
    };

    const clock = phaseClock();
    let matches: Matched[] = [];
    for (let start = 0; start < rows.length; start += MATCH_CHUNK)
      matches.push(...(await matchRows(pool, readSchema, rows.slice(start, start + MATCH_CHUNK))));
    matches = await matchMissing(this.#deps.titleRequests, rows, matches, () => uploads.heartbeat(importId));
    const today = latestCalendarDay();
    const plan = planImport(rows, matches, { userId, source, today });
    plan.unmatched.forEach((reason, row) => reason !== undefined && progress.unmatched(row, reason));
    const matched = clock();
    await report(true);

    const watchlistId = await this.#watchlistOf(userId, plan.watchlist.length > 0, () => uploads.heartbeat(importId));
    const metadata = {
      correlationId: upload.correlationId,
      causationId: importEventId(importId, 'started'),
      userId,
      occurredAt: new Date().toISOString(),
    };
    await applyPlan(plan, progress, {
      store,
      queue,
      importId,
      metadata,
      userId,
      today,
      watchlistId,
      onStep: () => report(),
    });
    progress.settleIdle();
    const applied = clock();
    await report(true);
    this.#deps.log.info(
      { importId, correlationId: upload.correlationId, rows: rows.length, matchMs: matched, applyMs: applied },
      'import applied',
    );
    const { matched: matchedRows, imported, alreadyPresent, unmatchedCount } = progress.counters;
    await this.#append(
      upload,
      [{ type: 'ImportCompleted', data: { importId, userId, matched: matchedRows, imported, alreadyPresent, unmatchedCount } }],
      'completed',
    );
    await uploads.finish(importId, 'completed');
  }

  /**
   * The user's watchlist id, from the read models (the command side does not keep it). An account
   * registered a moment before its first upload may not be projected yet: when the import has
   * watchlist rows it waits for it, as the registration is earlier in the log than the upload.
   */
  async #watchlistOf(userId: string, needed: boolean, onWait: () => Promise<void>): Promise<string | undefined> {
    const { pool, readSchema } = this.#deps;
    const deadline = Date.now() + (needed ? WATCHLIST_WAIT_MS : 0);
    let beat = Date.now();
    for (;;) {
      const { rows } = await pool.query<{ list_id: string }>(
        `SELECT list_id FROM "${readSchema}".lists WHERE owner_id = $1 AND kind = 'watchlist'`,
        [userId],
      );
      if (rows[0] !== undefined || Date.now() >= deadline) return rows[0]?.list_id;
      if (Date.now() - beat > 5000) {
        beat = Date.now();
        await onWait();
      }
      await sleep(200);
    }
  }

  /** Appends to the import's stream; `what` names a once-only event, so repeating it is a no-op. */
  async #append(upload: StoredUpload, events: Extract<ReelEvent, { type: `Import${string}` }>[], what?: string): Promise<void> {
    const { importId, userId, correlationId } = upload;
    const metadata = { correlationId, causationId: importId, userId };
    if (what === 'started' && (await this.#deps.store.streamVersion(importStream(importId))) > 0) return;
    await this.#deps.store.appendToStream(
      importStream(importId),
      events.map((event) => ({ ...event, metadata, ...(what === undefined ? {} : { eventId: importEventId(importId, what) }) })),
    );
  }
}
