import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type pg from 'pg';
import type { MediaType } from '../tmdb/client.ts';

const compress = promisify(gzip);
const decompress = promisify(gunzip);

export type PayloadRef = { titleId: string; mediaType: MediaType; tmdbId: number };

/** One title's latest TMDb details response, decompressed and parsed. */
export type StoredPayload = PayloadRef & { source: string; receivedAt: Date; payload: unknown };

/** The latest raw TMDb response per title (table `tmdb_payloads` of the ingest schema). */
export type PayloadStore = {
  /** Keeps `payload` as the title's latest response, gzip-compressed; an identical one is not rewritten. */
  save(source: string, ref: PayloadRef, payload: unknown): Promise<void>;
  /** Up to `limit` payloads in title id order, after `afterTitleId` (null: from the first). */
  page(afterTitleId: string | null, limit: number): Promise<StoredPayload[]>;
  count(): Promise<number>;
  /** The sources that fetched the stored payloads. */
  sources(): Promise<string[]>;
};

type Row = { title_id: string; media_type: MediaType; tmdb_id: number; source: string; received_at: Date; payload: Buffer };

/** Over the progress store's pool; `schema` has been migrated (003_tmdb_payloads.sql). */
export function payloadStore(pool: pg.Pool, schema: string): PayloadStore {
  const table = `${schema}.tmdb_payloads`;
  return {
    async save(source, ref, payload) {
      const json = JSON.stringify(payload);
      const sha256 = createHash('sha256').update(json).digest();
      await pool.query(
        `INSERT INTO ${table} AS p (title_id, media_type, tmdb_id, source, payload, sha256) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (title_id) DO UPDATE
           SET media_type = EXCLUDED.media_type, tmdb_id = EXCLUDED.tmdb_id, source = EXCLUDED.source,
               payload = EXCLUDED.payload, sha256 = EXCLUDED.sha256, received_at = now()
         WHERE p.sha256 <> EXCLUDED.sha256 OR p.source <> EXCLUDED.source`,
        [ref.titleId, ref.mediaType, ref.tmdbId, source, await compress(json), sha256],
      );
    },

    async page(afterTitleId, limit) {
      const { rows } = await pool.query<Row>(
        `SELECT title_id, media_type, tmdb_id, source, received_at, payload FROM ${table}
          WHERE $1::text IS NULL OR title_id > $1 ORDER BY title_id LIMIT $2`,
        [afterTitleId, limit],
      );
      return Promise.all(
        rows.map(async (row) => ({
          titleId: row.title_id,
          mediaType: row.media_type,
          tmdbId: row.tmdb_id,
          source: row.source,
          receivedAt: row.received_at,
          payload: JSON.parse((await decompress(row.payload)).toString('utf8')) as unknown,
        })),
      );
    },

    async count() {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      return rows[0]!.n;
    },

    async sources() {
      const { rows } = await pool.query<{ source: string }>(`SELECT DISTINCT source FROM ${table} ORDER BY source`);
      return rows.map((row) => row.source);
    },
  };
}
