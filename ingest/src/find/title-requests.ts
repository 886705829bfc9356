import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '@reeltime/eventstore';
import type pg from 'pg';
import type { Logger } from 'pino';
import { isTitleFailure, syncTitle } from '../sync/sync-run.ts';
import { titleRef, type ProgressStore, type TitleRef } from '../sync/progress-store.ts';
import type { TmdbClient } from '../tmdb/client.ts';
import { TmdbHttpError } from '../tmdb/errors.ts';
import { TmdbFindResults } from '../tmdb/schemas.ts';

/*
 * Titles an import needs but the catalog lacks. command-api writes one request per external id
 * (`imdb:tt0078748`, `tmdb:movie:348`) into its title_requests table (command schema); this
 * loop, which the ingest service runs only when a TMDb credential is set, claims pending ones,
 * looks each up on TMDb through the same client (and so the same rate limit) as the sync, records
 * the title as the sync does, and writes the title id back. The import then matches the row to
 * that id. A table rather than NATS request/reply: a request outlives a restart of either side,
 * and command-api needs no connection beyond its database. The loop's heartbeat
 * (title_fetchers) tells command-api whether anyone will answer at all.
 */

export type TitleRequestDeps = {
  pool: pg.Pool;
  /** The command schema (command-api's tables). */
  schema: string;
  client: TmdbClient;
  store: EventStore;
  progress: Pick<ProgressStore, 'payloads'>;
  log: Logger;
  signal?: AbortSignal;
};

/** A claim older than this belongs to a stopped ingest: another may take the request. */
const CLAIM_SECONDS = 60;
const BATCH = 16;
export const FETCHER = 'ingest';

type Answer = { status: 'found'; titleId: string } | { status: 'missing'; reason: string };

async function resolve(externalId: string, deps: TitleRequestDeps): Promise<Answer> {
  const metadata = { correlationId: `title-request:${externalId}`, causationId: `title-request:${externalId}` };
  let ref: TitleRef;
  const tmdb = /^tmdb:(movie|tv):([1-9][0-9]{0,9})$/.exec(externalId);
  const imdb = /^imdb:(tt[0-9]{7,10})$/.exec(externalId);
  if (tmdb !== null) {
    ref = titleRef(tmdb[1] as 'movie' | 'tv', Number(tmdb[2]));
  } else if (imdb !== null) {
    const found = await deps.client.get(`/find/${imdb[1]}`, { external_source: 'imdb_id' }, TmdbFindResults, deps.signal);
    const [movie] = found.movie_results;
    const [tv] = found.tv_results;
    if (movie === undefined && tv === undefined) return { status: 'missing', reason: `TMDb knows no title with IMDb id ${imdb[1]}` };
    ref = movie !== undefined ? titleRef('movie', movie.id) : titleRef('tv', tv!.id);
  } else {
    return { status: 'missing', reason: `${externalId} is not an id TMDb can look up` };
  }
  try {
    await syncTitle(ref, { ...deps, source: 'tmdb', metadata });
  } catch (error) {
    if (error instanceof TmdbHttpError && error.status === 404)
      return { status: 'missing', reason: `TMDb has no ${ref.mediaType} ${ref.tmdbId}` };
    throw error;
  }
  return { status: 'found', titleId: ref.titleId };
}

/** Says the loop is alive, claims up to a batch of pending requests and answers them. Returns how many it answered. */
export async function serveTitleRequestsOnce(deps: TitleRequestDeps): Promise<number> {
  const { pool, schema, log } = deps;
  await pool.query(
    `INSERT INTO ${schema}.title_fetchers (fetcher, seen_at) VALUES ($1, now()) ON CONFLICT (fetcher) DO UPDATE SET seen_at = now()`,
    [FETCHER],
  );
  const { rows } = await pool.query<{ external_id: string }>(
    `UPDATE ${schema}.title_requests SET claimed_at = now()
      WHERE external_id IN (
        SELECT external_id FROM ${schema}.title_requests
         WHERE status = 'pending' AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $1))
         ORDER BY requested_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING external_id`,
    [CLAIM_SECONDS, BATCH],
  );
  let answered = 0;
  await Promise.all(
    rows.map(async ({ external_id: externalId }) => {
      let answer: Answer;
      try {
        answer = await resolve(externalId, deps);
      } catch (error) {
        if (!isTitleFailure(error)) {
          // TMDb or the store unavailable: the request stays pending and is tried again.
          log.warn({ err: error, externalId }, 'title request failed; retrying later');
          await pool.query(`UPDATE ${schema}.title_requests SET claimed_at = NULL WHERE external_id = $1`, [externalId]);
          return;
        }
        answer = { status: 'missing', reason: `TMDb's answer could not be used: ${(error as Error).message}` };
      }
      await pool.query(
        `UPDATE ${schema}.title_requests SET status = $2, title_id = $3, reason = $4, done_at = now() WHERE external_id = $1`,
        [externalId, answer.status, answer.status === 'found' ? answer.titleId : null, answer.status === 'missing' ? answer.reason : null],
      );
      answered++;
    }),
  );
  if (answered > 0) log.info({ answered }, 'title requests answered');
  return answered;
}

/** Serves requests until the signal aborts: at once while there is work, else every `pollMs`. */
export async function serveTitleRequests(deps: TitleRequestDeps & { pollMs?: number }): Promise<void> {
  const pollMs = deps.pollMs ?? 250;
  while (!deps.signal?.aborted) {
    let answered = 0;
    try {
      answered = await serveTitleRequestsOnce(deps);
    } catch (error) {
      if (deps.signal?.aborted) break;
      deps.log.warn({ err: error }, 'serving title requests failed; retrying');
      await sleep(5000, undefined, { signal: deps.signal }).catch(() => {});
    }
    if (answered === 0) await sleep(pollMs, undefined, { signal: deps.signal }).catch(() => {});
  }
}
