import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Matched } from './match.ts';
import type { ImportRow } from './rows.ts';

// Titles missing from the catalog, fetched from TMDb by ingest: this side writes requests into
// title_requests and waits for the answers; ingest's loop (ingest/src/find/title-requests.ts,
// which explains the choice of a table) serves them. Only rows that carry a TMDb or IMDb id ask.

/** Ingest's loop says it is alive at least this often while it runs. */
const FETCHER_FRESH_SECONDS = 30;
/** A title TMDb did not know is asked again after this long (new titles get ids every day). */
const RETRY_MISSING_HOURS = 24;
const POLL_MS = 200;

export const NO_CREDENTIAL = 'not in the catalog, and no TMDb credential is set to fetch it';
export const NOT_ANSWERED = 'not in the catalog, and TMDb did not answer in time: import the file again later';

/** The id a row asks TMDb about: its TMDb id (one request) before its IMDb id (two). */
export function externalId(row: ImportRow): string | undefined {
  if (row.tmdbId !== undefined) return `tmdb:${row.mediaType ?? 'movie'}:${row.tmdbId}`;
  if (row.imdbId !== undefined) return `imdb:${row.imdbId}`;
  return undefined;
}

export type TitleAnswer = { titleId: string } | { reason: string };

export class TitleRequests {
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  /** Whether ingest's request loop runs (it does only with a TMDb credential). */
  async fetcherAlive(): Promise<boolean> {
    const { rows } = await this.pool.query(
      `SELECT 1 FROM ${this.schema}.title_fetchers WHERE seen_at > now() - make_interval(secs => $1) LIMIT 1`,
      [FETCHER_FRESH_SECONDS],
    );
    return rows.length > 0;
  }

  /**
   * Asks for these ids (an id asked before is answered from its row) and waits up to `waitMs`
   * for the answers; `onWait` runs about every 5 s meanwhile (the import's heartbeat).
   */
  async resolve(ids: readonly string[], waitMs: number, onWait: () => Promise<void>): Promise<Map<string, TitleAnswer>> {
    const wanted = [...new Set(ids)];
    await this.pool.query(
      `INSERT INTO ${this.schema}.title_requests (external_id) SELECT unnest($1::text[])
         ON CONFLICT (external_id) DO UPDATE SET status = 'pending', reason = NULL, claimed_at = NULL, requested_at = now(), done_at = NULL
          WHERE title_requests.status = 'missing' AND title_requests.done_at < now() - make_interval(hours => $2)`,
      [wanted, RETRY_MISSING_HOURS],
    );
    const answers = new Map<string, TitleAnswer>();
    const deadline = Date.now() + waitMs;
    let beat = Date.now();
    for (;;) {
      const open = wanted.filter((id) => !answers.has(id));
      const { rows } = await this.pool.query<{ external_id: string; status: string; title_id: string | null; reason: string | null }>(
        `SELECT external_id, status, title_id, reason FROM ${this.schema}.title_requests WHERE external_id = ANY($1::text[]) AND status <> 'pending'`,
        [open],
      );
      for (const row of rows) {
        answers.set(
          row.external_id,
          row.status === 'found' ? { titleId: row.title_id! } : { reason: row.reason ?? 'TMDb does not know it' },
        );
      }
      if (answers.size === wanted.length) return answers;
      if (Date.now() >= deadline) {
        for (const id of wanted) if (!answers.has(id)) answers.set(id, { reason: NOT_ANSWERED });
        return answers;
      }
      if (Date.now() - beat > 5000) {
        beat = Date.now();
        await onWait();
      }
      await sleep(POLL_MS);
    }
  }
}

/**
 * Rows the catalog could not match that carry a TMDb or IMDb id: fetched through ingest when it
 * runs with a credential (their matches become the fetched title ids), else reported as such.
 */
export async function matchMissing(
  requests: TitleRequests,
  rows: readonly ImportRow[],
  matches: readonly Matched[],
  onWait: () => Promise<void>,
): Promise<Matched[]> {
  const missing = rows.flatMap((row, i) => {
    const id = 'reason' in matches[i]! && row.problem === undefined ? externalId(row) : undefined;
    return id === undefined ? [] : [{ i, id }];
  });
  if (missing.length === 0) return [...matches];
  const result = [...matches];
  if (!(await requests.fetcherAlive())) {
    for (const { i } of missing) result[i] = { reason: NO_CREDENTIAL };
    return result;
  }
  // TMDb allows about 40 requests a second, an IMDb id takes two: a generous wait per title.
  const answers = await requests.resolve(
    missing.map(({ id }) => id),
    15_000 + 150 * missing.length,
    onWait,
  );
  for (const { i, id } of missing) result[i] = answers.get(id)!;
  return result;
}
