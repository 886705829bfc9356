import type pg from 'pg';
import { chooseExact, chooseFuzzy, type Candidate } from './choose.ts';
import type { ImportRow } from './rows.ts';

/** For each row: its title id, or why none. */
export type Matched = { titleId: string } | { reason: string };

type Queryable = Pick<pg.Pool, 'query'>;

/**
 * Matches rows to catalog titles over the catalog read model (matching finds ids; the deciders
 * still decide): TMDb id, then IMDb id, then exact name and year, then a trigram search with a
 * confidence threshold. A few set-based queries per call, whatever the number of rows.
 */
export async function matchRows(db: Queryable, readSchema: string, rows: readonly ImportRow[]): Promise<Matched[]> {
  const titles = `"${readSchema}".titles`;
  const result: (Matched | undefined)[] = rows.map((row) => (row.problem === undefined ? undefined : { reason: row.problem }));
  const open = () => rows.map((row, i) => ({ row, i })).filter(({ i }) => result[i] === undefined);

  // 1. TMDb ids (Trakt): the title id itself.
  const byTmdb = open().filter(({ row }) => row.tmdbId !== undefined);
  if (byTmdb.length > 0) {
    const wanted = byTmdb.flatMap(({ row }) =>
      row.mediaType ? [`${row.mediaType}:${row.tmdbId}`] : [`movie:${row.tmdbId}`, `tv:${row.tmdbId}`],
    );
    const { rows: found } = await db.query<{ title_id: string }>(`SELECT title_id FROM ${titles} WHERE title_id = ANY($1::text[])`, [
      wanted,
    ]);
    const known = new Set(found.map((r) => r.title_id));
    for (const { row, i } of byTmdb) {
      const hits = (row.mediaType ? [row.mediaType] : ['movie', 'tv']).map((type) => `${type}:${row.tmdbId}`).filter((id) => known.has(id));
      if (hits.length === 1) result[i] = { titleId: hits[0]! };
    }
  }

  // 2. IMDb ids (IMDb, Trakt).
  const byImdb = open().filter(({ row }) => row.imdbId !== undefined);
  if (byImdb.length > 0) {
    const { rows: found } = await db.query<{ title_id: string; imdb_id: string; media_type: string }>(
      `SELECT title_id, imdb_id, media_type FROM ${titles} WHERE imdb_id = ANY($1::text[])`,
      [[...new Set(byImdb.map(({ row }) => row.imdbId!))]],
    );
    const byId = groupBy(found, (r) => r.imdb_id);
    for (const { row, i } of byImdb) {
      const hits = (byId.get(row.imdbId!) ?? []).filter((r) => row.mediaType === undefined || r.media_type === row.mediaType);
      if (hits.length === 1) result[i] = { titleId: hits[0]!.title_id };
    }
  }

  // 3. Exact name (title or original title, any case) and year.
  const byName = open().filter(({ row }) => row.name !== undefined);
  if (byName.length > 0) {
    const keys = [...new Map(byName.map(({ row }) => [nameKey(row), row])).values()];
    const params = [keys.map((r) => r.name!.toLowerCase()), keys.map((r) => r.mediaType ?? null)];
    const { rows: found } = await db.query<{ name: string; media_type: string; title_id: string; title: string; year: number | null }>(
      `WITH q AS (SELECT DISTINCT name, media_type FROM unnest($1::text[], $2::text[]) AS q(name, media_type))
       SELECT q.name, q.media_type, t.title_id, t.title, t.year FROM q JOIN ${titles} t ON lower(t.title) = q.name AND (q.media_type IS NULL OR t.media_type = q.media_type)
       UNION
       SELECT q.name, q.media_type, t.title_id, t.title, t.year FROM q JOIN ${titles} t ON lower(t.original_title) = q.name AND (q.media_type IS NULL OR t.media_type = q.media_type)`,
      params,
    );
    const candidates = groupBy(found, (r) => `${r.name}|${r.media_type ?? ''}`);
    for (const { row, i } of byName) {
      const list = (candidates.get(`${row.name!.toLowerCase()}|${row.mediaType ?? ''}`) ?? []).map((r) => ({
        titleId: r.title_id,
        title: r.title,
        year: r.year,
        score: 1,
      }));
      const choice = chooseExact(list, row.year);
      if (choice !== undefined) result[i] = choice;
    }
  }

  // 4. Near names: pg_trgm over the title's trigram index, a year off by one allowed.
  const fuzzy = open().filter(({ row }) => row.name !== undefined);
  for (let start = 0; start < fuzzy.length; start += 500) {
    const chunk = fuzzy.slice(start, start + 500);
    const { rows: found } = await db.query<{ i: number; title_id: string; title: string; year: number | null; score: number }>(
      `SELECT q.i::int AS i, c.title_id, c.title, c.year, c.score FROM unnest($1::int[], $2::text[], $3::int[], $4::text[]) AS q(i, name, year, media_type)
       CROSS JOIN LATERAL (
         SELECT t.title_id, t.title, t.year, public.similarity(t.title, q.name) AS score FROM ${titles} t
          WHERE t.title OPERATOR(public.%) q.name
            AND (q.year IS NULL OR t.year BETWEEN q.year - 1 AND q.year + 1)
            AND (q.media_type IS NULL OR t.media_type = q.media_type)
          ORDER BY score DESC LIMIT 3) c`,
      [
        chunk.map(({ i }) => i),
        chunk.map(({ row }) => row.name!),
        chunk.map(({ row }) => row.year ?? null),
        chunk.map(({ row }) => row.mediaType ?? null),
      ],
    );
    const byRow = groupBy(found, (r) => r.i);
    for (const { row, i } of chunk) {
      const list: Candidate[] = (byRow.get(i) ?? []).map((r) => ({
        titleId: r.title_id,
        title: r.title,
        year: r.year,
        score: Number(r.score),
      }));
      result[i] = chooseFuzzy(list, row.year);
    }
  }
  return result.map(
    (r, i) =>
      r ?? {
        reason:
          rows[i]!.name === undefined ? 'the row names no title the catalog knows' : 'no title with this name and year in the catalog',
      },
  );
}

/** `Map.groupBy` arrives with Node 21. */
function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

const nameKey = (row: ImportRow) => `${row.name!.toLowerCase()}|${row.mediaType ?? ''}`;
