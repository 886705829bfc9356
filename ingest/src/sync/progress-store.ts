import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { assertSchemaName, migrate } from '@reeltime/eventstore/postgres';
import type { RecordOutcome } from '../catalog/record-title.ts';
import { payloadStore, type PayloadStore } from '../payloads/payload-store.ts';
import type { MediaType } from '../tmdb/client.ts';
import { inTransaction } from '@reeltime/eventstore/transactions';
import { setTimeout as sleep } from 'node:timers/promises';

const LOCK_WAIT_MS = 5_000;

export const INGEST_MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

export type TitleRef = { titleId: string; mediaType: MediaType; tmdbId: number };
export const titleRef = (mediaType: MediaType, tmdbId: number): TitleRef => ({ titleId: `${mediaType}:${tmdbId}`, mediaType, tmdbId });

export type SyncRun = {
  runId: string;
  source: string;
  pages: number;
  startedAt: Date;
  discovered: boolean;
  changesUntil: Date | null;
};

export type RunSummary = { imported: number; updated: number; unchanged: number; failed: number };

/** Another process holds the sync of this source. */
export class SyncInProgressError extends Error {
  override readonly name = 'SyncInProgressError';
  constructor(readonly source: string) {
    super(`another ingest process is syncing source "${source}"`);
  }
}

/** A failed title is retried by later runs until it has failed this many times in a row. */
export const MAX_ATTEMPTS = 5;

export type ProgressStore = {
  readonly pool: pg.Pool;
  /** The latest raw TMDb response per title, in the same schema. */
  readonly payloads: PayloadStore;
  /** Holds the source's sync for this process until the returned release is called. */
  lock(source: string): Promise<() => Promise<void>>;
  unfinishedRun(source: string): Promise<SyncRun | null>;
  startRun(source: string, pages: number): Promise<SyncRun>;
  /** End of the last completed run's change-feed window, null before the first. */
  changesCheckpoint(source: string): Promise<Date | null>;
  /**
   * Writes the run's work list in one transaction: the discovered titles, plus titles whose
   * earlier syncs failed and may be tried again.
   */
  enqueue(run: SyncRun, titles: readonly TitleRef[], changesUntil: Date | null): Promise<void>;
  pending(runId: string): Promise<TitleRef[]>;
  markDone(source: string, titleId: string, outcome: RecordOutcome): Promise<void>;
  markFailed(source: string, titleId: string, reason: string): Promise<void>;
  /** Titles of this run by outcome (failed included). */
  summary(runId: string): Promise<RunSummary & { pending: number }>;
  /** Closes the run and moves the change-feed checkpoint to where it read up to. */
  completeRun(run: SyncRun, summary: RunSummary): Promise<void>;
  /** Known titles (synced successfully at least once) among `titles`. */
  known(source: string, titles: readonly TitleRef[]): Promise<TitleRef[]>;
  close(): Promise<void>;
};

type RunRow = { run_id: string; source: string; pages: number; started_at: Date; discovered_at: Date | null; changes_until: Date | null };
const toRun = (row: RunRow): SyncRun => ({
  runId: row.run_id,
  source: row.source,
  pages: row.pages,
  startedAt: row.started_at,
  discovered: row.discovered_at !== null,
  changesUntil: row.changes_until,
});

export async function openProgressStore(options: { connectionString: string; schema?: string; poolSize?: number }): Promise<ProgressStore> {
  const schema = assertSchemaName(options.schema ?? 'ingest');
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 8 });
  pool.on('error', () => {}); // an idle client's broken connection is replaced on next use
  try {
    await migrate(pool, { schema, directory: INGEST_MIGRATIONS });
  } catch (error) {
    await pool.end();
    throw error;
  }
  const t = (table: string) => `${schema}.${table}`;

  // Marks that arrive while one UPDATE is in flight go together in the next: with dozens of
  // titles in progress this saves most round trips, and each caller still resolves only once
  // its own mark is committed, so "done" keeps meaning "will not be fetched again".
  type DoneMark = { source: string; titleId: string; outcome: RecordOutcome; resolve: () => void; reject: (error: unknown) => void };
  const doneQueue: DoneMark[] = [];
  let flushDone: Promise<void> | undefined;
  async function flushDoneMarks(): Promise<void> {
    while (doneQueue.length > 0) {
      const batch = doneQueue.splice(0, 1000);
      try {
        await pool.query(
          `UPDATE ${t('title_syncs')} AS s
              SET status = 'done', outcome = m.outcome, attempts = 0, last_error = NULL, last_synced_at = now(), updated_at = now()
             FROM unnest($1::text[], $2::text[], $3::text[]) AS m (source, title_id, outcome)
            WHERE s.source = m.source AND s.title_id = m.title_id`,
          [batch.map((m) => m.source), batch.map((m) => m.titleId), batch.map((m) => m.outcome)],
        );
        for (const mark of batch) mark.resolve();
      } catch (error) {
        for (const mark of batch) mark.reject(error);
      }
    }
  }

  return {
    pool,
    payloads: payloadStore(pool, schema),
    async lock(source) {
      const client = await pool.connect();
      const key = `reeltime:ingest:${schema}:${source}`;
      try {
        // A process killed a moment ago still holds its lock until PostgreSQL notices the dropped
        // connection, so a restart waits a little before deciding another sync really runs.
        const deadline = Date.now() + LOCK_WAIT_MS;
        for (;;) {
          const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
          if (rows[0]!.locked) break;
          if (Date.now() >= deadline) throw new SyncInProgressError(source);
          await sleep(100);
        }
      } catch (error) {
        client.release();
        throw error;
      }
      return async () => {
        try {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
        } finally {
          client.release();
        }
      };
    },

    async unfinishedRun(source) {
      const { rows } = await pool.query<RunRow>(`SELECT * FROM ${t('sync_runs')} WHERE source = $1 AND status = 'running'`, [source]);
      return rows[0] ? toRun(rows[0]) : null;
    },

    async startRun(source, pages) {
      const { rows } = await pool.query<RunRow>(
        `INSERT INTO ${t('sync_runs')} (run_id, source, status, pages) VALUES ($1, $2, 'running', $3) RETURNING *`,
        [randomUUID(), source, pages],
      );
      return toRun(rows[0]!);
    },

    async changesCheckpoint(source) {
      const { rows } = await pool.query<{ synced_until: Date }>(`SELECT synced_until FROM ${t('change_checkpoints')} WHERE source = $1`, [
        source,
      ]);
      return rows[0]?.synced_until ?? null;
    },

    async enqueue(run, titles, changesUntil) {
      await inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO ${t('title_syncs')} AS s (source, title_id, media_type, tmdb_id, run_id, status)
           SELECT $1, t.title_id, t.media_type, t.tmdb_id, $2, 'pending'
             FROM unnest($3::text[], $4::text[], $5::int[]) AS t (title_id, media_type, tmdb_id)
           ON CONFLICT (source, title_id) DO UPDATE SET run_id = EXCLUDED.run_id, status = 'pending', updated_at = now()`,
          [run.source, run.runId, titles.map((r) => r.titleId), titles.map((r) => r.mediaType), titles.map((r) => r.tmdbId)],
        );
        await client.query(
          `UPDATE ${t('title_syncs')} SET run_id = $2, status = 'pending', updated_at = now()
            WHERE source = $1 AND status = 'failed' AND attempts < $3`,
          [run.source, run.runId, MAX_ATTEMPTS],
        );
        await client.query(`UPDATE ${t('sync_runs')} SET discovered_at = now(), changes_until = $2 WHERE run_id = $1`, [
          run.runId,
          changesUntil,
        ]);
      });
      run.discovered = true;
      run.changesUntil = changesUntil;
    },

    async pending(runId) {
      const { rows } = await pool.query<{ title_id: string; media_type: MediaType; tmdb_id: number }>(
        `SELECT title_id, media_type, tmdb_id FROM ${t('title_syncs')} WHERE run_id = $1 AND status = 'pending' ORDER BY media_type, tmdb_id`,
        [runId],
      );
      return rows.map((r) => ({ titleId: r.title_id, mediaType: r.media_type, tmdbId: r.tmdb_id }));
    },

    markDone: (source, titleId, outcome) =>
      new Promise<void>((resolve, reject) => {
        doneQueue.push({ source, titleId, outcome, resolve, reject });
        flushDone ??= flushDoneMarks().finally(() => (flushDone = undefined));
      }),

    async markFailed(source, titleId, reason) {
      await pool.query(
        `UPDATE ${t('title_syncs')} SET status = 'failed', outcome = NULL, attempts = attempts + 1, last_error = $3, updated_at = now()
          WHERE source = $1 AND title_id = $2`,
        [source, titleId, reason.slice(0, 2000)],
      );
    },

    async summary(runId) {
      const { rows } = await pool.query<{ status: string; outcome: string | null; n: number }>(
        `SELECT status, outcome, count(*)::int AS n FROM ${t('title_syncs')} WHERE run_id = $1 GROUP BY status, outcome`,
        [runId],
      );
      const count = (match: (r: (typeof rows)[number]) => boolean) => rows.filter(match).reduce((sum, r) => sum + r.n, 0);
      return {
        imported: count((r) => r.outcome === 'imported'),
        updated: count((r) => r.outcome === 'updated'),
        unchanged: count((r) => r.outcome === 'unchanged'),
        failed: count((r) => r.status === 'failed'),
        pending: count((r) => r.status === 'pending'),
      };
    },

    async completeRun(run, summary) {
      await inTransaction(pool, async (client) => {
        await client.query(`UPDATE ${t('sync_runs')} SET status = 'completed', finished_at = now(), summary = $2 WHERE run_id = $1`, [
          run.runId,
          JSON.stringify(summary),
        ]);
        if (run.changesUntil) {
          await client.query(
            `INSERT INTO ${t('change_checkpoints')} (source, synced_until) VALUES ($1, $2)
             ON CONFLICT (source) DO UPDATE SET synced_until = GREATEST(${t('change_checkpoints')}.synced_until, EXCLUDED.synced_until), updated_at = now()`,
            [run.source, run.changesUntil],
          );
        }
      });
    },

    async known(source, titles) {
      if (titles.length === 0) return [];
      const { rows } = await pool.query<{ title_id: string }>(
        `SELECT title_id FROM ${t('title_syncs')} WHERE source = $1 AND title_id = ANY($2::text[]) AND last_synced_at IS NOT NULL`,
        [source, titles.map((r) => r.titleId)],
      );
      const found = new Set(rows.map((r) => r.title_id));
      return titles.filter((r) => found.has(r.titleId));
    },

    close: () => pool.end(),
  };
}
