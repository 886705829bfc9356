import { randomUUID } from 'node:crypto';
import type { EventStore } from '@reeltime/eventstore';
import type { TitleImportedData } from '@reeltime/schemas';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { Compile } from 'typebox/compile';
import { NormalizationError, normalizeMovie, normalizeTv } from '../catalog/normalize.ts';
import { recordTitle, type RecordOutcome } from '../catalog/record-title.ts';
import type { ProgressStore } from '../sync/progress-store.ts';
import { TmdbMovieDetails, TmdbTvDetails } from '../tmdb/schemas.ts';
import type { StoredPayload } from './payload-store.ts';

/** TMDb details → the catalog record; the tests hand in a changed one. */
export type CatalogMapping = {
  movie: (details: TmdbMovieDetails) => TitleImportedData;
  tv: (details: TmdbTvDetails) => TitleImportedData;
};

export const CURRENT_MAPPING: CatalogMapping = { movie: normalizeMovie, tv: normalizeTv };

export type RenormalizeSummary = Record<RecordOutcome | 'failed', number>;
export type RenormalizeProgress = RenormalizeSummary & { total: number; done: number };

export type RenormalizeOptions = {
  store: EventStore;
  progress: ProgressStore;
  log: Logger;
  mapping?: CatalogMapping;
  /** Titles decided and appended at once. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: RenormalizeProgress) => void;
};

export type RenormalizeResult = {
  runId: string;
  /** `interrupted`: stopped by the signal; running it again finishes the job (it is idempotent). */
  status: 'completed' | 'interrupted';
  total: number;
  summary: RenormalizeSummary;
};

const PAGE = 200;
const isMovie = Compile(TmdbMovieDetails);
const isTv = Compile(TmdbTvDetails);

/** The stored response through today's schema and mapping; what cannot be read fails that title only. */
function derive(stored: StoredPayload, mapping: CatalogMapping): TitleImportedData {
  if (stored.mediaType === 'movie') {
    if (!isMovie.Check(stored.payload))
      throw new NormalizationError(`${stored.titleId}: the stored response no longer matches TmdbMovieDetails`);
    return mapping.movie(stored.payload);
  }
  if (!isTv.Check(stored.payload)) throw new NormalizationError(`${stored.titleId}: the stored response no longer matches TmdbTvDetails`);
  return mapping.tv(stored.payload);
}

/**
 * Derives the catalog again from the stored TMDb responses (after a mapping change), without
 * asking TMDb: each title goes through the Title decider like a sync, so only what changed is
 * appended. It holds the sync lock of every source whose responses it reads, so no sync can
 * append newer data between its read of a response and its append.
 */
export async function renormalizeCatalog(options: RenormalizeOptions): Promise<RenormalizeResult> {
  const { store, progress, signal } = options;
  const mapping = options.mapping ?? CURRENT_MAPPING;
  const runId = randomUUID();
  const log = options.log.child({ correlationId: runId, task: 'renormalize' });
  const metadata = { correlationId: runId, causationId: runId };
  const summary: RenormalizeSummary = { imported: 0, updated: 0, unchanged: 0, failed: 0 };
  const releases: (() => Promise<void>)[] = [];
  try {
    for (const source of await progress.payloads.sources()) releases.push(await progress.lock(source));
    const total = await progress.payloads.count();
    log.info({ titles: total }, 'renormalizing the catalog from stored TMDb responses');
    const report = () =>
      options.onProgress?.({ ...summary, total, done: summary.imported + summary.updated + summary.unchanged + summary.failed });
    report();

    const limit = pLimit(options.concurrency ?? 16);
    const renormalizeOne = async (stored: StoredPayload) => {
      if (signal?.aborted) return;
      let title: TitleImportedData;
      try {
        title = derive(stored, mapping);
      } catch (error) {
        if (!(error instanceof NormalizationError)) throw error;
        log.warn({ titleId: stored.titleId, reason: error.message }, 'title not renormalized');
        summary.failed++;
        report();
        return;
      }
      summary[await recordTitle(store, { type: 'SyncTitle', title }, metadata)]++;
      report();
    };
    for (let after: string | null = null; !signal?.aborted;) {
      const page = await progress.payloads.page(after, PAGE);
      if (page.length === 0) break;
      // Settled, not Promise.all: the locks must outlive every append of the page, even after a failure.
      const failure = (await Promise.allSettled(page.map((stored) => limit(() => renormalizeOne(stored))))).find(
        (r) => r.status === 'rejected',
      );
      if (failure) throw failure.reason;
      after = page.at(-1)!.titleId;
    }
    const status = signal?.aborted ? 'interrupted' : 'completed';
    log.info({ status, ...summary }, 'renormalizing finished');
    return { runId, status, total, summary };
  } finally {
    for (const release of releases.reverse()) await release();
  }
}
