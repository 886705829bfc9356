import type { EventStore } from '@reeltime/eventstore';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { NormalizationError, normalizeMovie, normalizeTv } from '../catalog/normalize.ts';
import { recordTitle, type CatalogMetadata, type RecordOutcome } from '../catalog/record-title.ts';
import type { TmdbClient } from '../tmdb/client.ts';
import { CircuitOpenError, MalformedResponseError, TmdbHttpError, TmdbUnavailableError } from '../tmdb/errors.ts';
import { discoverTitles } from './discover.ts';
import type { ProgressStore, RunSummary, TitleRef } from './progress-store.ts';

export type SyncProgress = RunSummary & { phase: 'discovering' | 'syncing'; total: number; done: number };

export type SyncOptions = {
  /** Names the run history and checkpoint: `tmdb`, `demo`, ... */
  source: string;
  client: TmdbClient;
  store: EventStore;
  progress: ProgressStore;
  /** Pages of each list a new run reads (a resumed run keeps its own work list). */
  pages: number;
  /** Titles synced at once (the client separately caps HTTP concurrency and rate). */
  concurrency?: number;
  log: Logger;
  signal?: AbortSignal;
  now?: () => Date;
  onProgress?: (progress: SyncProgress) => void;
};

export type SyncResult = {
  runId: string;
  resumed: boolean;
  /** `interrupted`: stopped early (aborted, TMDb unavailable); the next run resumes it. */
  status: 'completed' | 'interrupted';
  reason?: string;
  summary: RunSummary;
};

export type SyncTitleDeps = {
  client: TmdbClient;
  store: EventStore;
  progress: Pick<ProgressStore, 'payloads'>;
  source: string;
  metadata: CatalogMetadata;
  signal?: AbortSignal;
};

/** One title from TMDb: its details (kept as the payload first), normalized and recorded through the Title decider. */
export async function syncTitle(ref: TitleRef, deps: SyncTitleDeps): Promise<RecordOutcome> {
  const { client, progress, source, signal } = deps;
  // The response is kept before anything is derived from it: a stored payload is never older
  // than the events made from it, so a later --renormalize cannot take a title back.
  let title;
  if (ref.mediaType === 'movie') {
    const details = await client.movieDetails(ref.tmdbId, signal);
    await progress.payloads.save(source, ref, details);
    title = normalizeMovie(details);
  } else {
    const details = await client.tvDetails(ref.tmdbId, signal);
    await progress.payloads.save(source, ref, details);
    title = normalizeTv(details);
  }
  signal?.throwIfAborted();
  return recordTitle(deps.store, { type: 'SyncTitle', title }, deps.metadata);
}

/** Failures that concern this title only: recorded against it, and the run goes on. */
export function isTitleFailure(error: unknown): boolean {
  if (error instanceof TmdbHttpError) return error.status === 404 || error.status === 422;
  return error instanceof MalformedResponseError || error instanceof NormalizationError || error instanceof TmdbUnavailableError;
}

/**
 * One sync run: resumes the source's unfinished run if there is one, else discovers titles
 * (popular, trending, change feeds) and records the work list; then syncs each pending title.
 * Every finished title is marked done at once, so a run killed at any point resumes with only
 * the titles it had not finished. Errors other than per-title ones (the event store or the
 * database down, a refused credential) are thrown, leaving the run to be resumed.
 */
export async function syncCatalog(options: SyncOptions): Promise<SyncResult> {
  const { source, client, store, progress } = options;
  const clock = options.now ?? (() => new Date());
  const release = await progress.lock(source);
  try {
    const unfinished = await progress.unfinishedRun(source);
    const run = unfinished ?? (await progress.startRun(source, options.pages));
    const log = options.log.child({ correlationId: run.runId, source });
    log.info({ resumed: unfinished !== null, startedAt: run.startedAt }, unfinished ? 'resuming sync run' : 'starting sync run');

    const counts: RunSummary = { imported: 0, updated: 0, unchanged: 0, failed: 0 };
    const report = (phase: SyncProgress['phase'], total: number) =>
      options.onProgress?.({ phase, total, done: counts.imported + counts.updated + counts.unchanged + counts.failed, ...counts });

    if (!run.discovered) {
      report('discovering', 0);
      const now = clock();
      const since = await progress.changesCheckpoint(source);
      const { listed, changed } = await discoverTitles(client, { pages: run.pages, changesSince: since, now, signal: options.signal });
      // The change feeds list every title edited on TMDb; only those already in our catalog matter.
      const refreshed = await progress.known(source, changed);
      const listedIds = new Set(listed.map((r) => r.titleId));
      const titles = [...listed, ...refreshed.filter((r) => !listedIds.has(r.titleId))];
      await progress.enqueue(run, titles, now);
      log.info({ listed: listed.length, changed: changed.length, refreshed: refreshed.length }, 'discovered titles');
    }

    const before = await progress.summary(run.runId);
    Object.assign(counts, { imported: before.imported, updated: before.updated, unchanged: before.unchanged, failed: before.failed });
    const work = await progress.pending(run.runId);
    const total = before.imported + before.updated + before.unchanged + before.failed + work.length;
    report('syncing', total);

    // Stopping early leaves the rest pending for the next run rather than failing it.
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    let stopReason: string | undefined;
    const metadata = { correlationId: run.runId, causationId: run.runId };

    const syncOne = (ref: TitleRef) => syncTitle(ref, { client, store, progress, source, metadata, signal });

    const limit = pLimit(options.concurrency ?? 16);
    let fatal: unknown;
    await Promise.all(
      work.map((ref) =>
        limit(async () => {
          if (signal.aborted) return;
          try {
            const outcome = await syncOne(ref);
            await progress.markDone(source, ref.titleId, outcome);
            counts[outcome]++;
          } catch (error) {
            if (signal.aborted) return;
            if (error instanceof CircuitOpenError) {
              stopReason ??= error.message;
              stop.abort(error);
              return;
            }
            if (!isTitleFailure(error)) {
              fatal ??= error;
              stop.abort(error);
              return;
            }
            const reason = (error as Error).message;
            log.warn({ titleId: ref.titleId, reason }, 'title sync failed');
            await progress.markFailed(source, ref.titleId, reason);
            counts.failed++;
          }
          report('syncing', total);
        }),
      ),
    );
    if (fatal !== undefined) throw fatal;
    if (signal.aborted) {
      const reason = stopReason ?? String((options.signal?.reason as Error)?.message ?? options.signal?.reason ?? 'aborted');
      log.warn({ reason, ...counts }, 'sync run interrupted; the next run resumes it');
      return { runId: run.runId, resumed: unfinished !== null, status: 'interrupted', reason, summary: { ...counts } };
    }
    const summary = await progress.summary(run.runId);
    const final = { imported: summary.imported, updated: summary.updated, unchanged: summary.unchanged, failed: summary.failed };
    await progress.completeRun(run, final);
    log.info(final, 'sync run completed');
    return { runId: run.runId, resumed: unfinished !== null, status: 'completed', summary: final };
  } finally {
    await release();
  }
}
