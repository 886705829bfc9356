import { migrate } from '@reeltime/eventstore/postgres';
import { projections } from '@reeltime/projector/src/projections.ts';
import { recommendationsProjection } from '@reeltime/projector/src/recommendations/projection.ts';
import type { ReasonCode } from '@reeltime/projector/src/recommendations/engine/engine.ts';
import { startStack } from './stack.ts';

/** Whether the projector runs the recommendations projection (end-to-end tests need it). */
export const recommendationsProjectionRegistered = projections.some((projection) => projection.name === 'recommendations');

export type RecommendationFixture = {
  userId: string;
  rank: number;
  titleId: string;
  mediaType: 'movie' | 'tv';
  score: number;
  /** Reasons as the API shows them (stored whole), or as the projection stores them (codes). */
  reasons: ReasonCode[];
  /** The names of the titles the reasons mention, stored with the item as the projection does. */
  names?: Record<string, string>;
};
export type SimilarFixture = { titleId: string; rank: number; similarId: string; score: number };

/**
 * For query-side tests of `GET /me/recommendations` and `GET /titles/:id/similar`: the real stack
 * WITHOUT the recommendations projection, and in its place the projection's own tables (its
 * migration, applied to a fixture schema) behind `read.recommendations` and `read.similar_titles`.
 * The query-api is what is under test; the rows are fixture, so any ranking can be stated
 * exactly. The end-to-end tests (real projection) say what the engine must do.
 */
export async function startStackWithRecommendationFixtures(prefix: string) {
  const stack = await startStack(prefix, { projections: projections.filter((projection) => projection.name !== 'recommendations') });
  const fixture = `${stack.base}_fixture`; // dropped with the stack (its names share the base)
  const read = stack.harness.settings.readSchema;
  const db = stack.harness.pool;
  await migrate(db, { schema: fixture, directory: recommendationsProjection.migrations });
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${read}`);
  await createRecommendationViews(db, read, fixture);

  return Object.assign(stack, {
    /** Replaces every fixture row of the users named in `rows`. */
    async putRecommendations(rows: readonly RecommendationFixture[]): Promise<void> {
      await putRecommendationRows(db, fixture, rows);
    },
    async putSimilar(rows: readonly SimilarFixture[]): Promise<void> {
      await db.query(
        `INSERT INTO ${fixture}.similar_titles (title_id, rank, similar_id, score)
         SELECT title_id, rank, similar_id, score FROM json_to_recordset($1::json) AS r(title_id text, rank int, similar_id text, score float8)`,
        [JSON.stringify(rows.map((row) => ({ title_id: row.titleId, rank: row.rank, similar_id: row.similarId, score: row.score })))],
      );
    },
  });
}
export type FixtureStack = Awaited<ReturnType<typeof startStackWithRecommendationFixtures>>;

type Sql = { query(text: string, values?: unknown[]): Promise<unknown> };

/** `read.recommendations` and `read.similar_titles` over a fixture schema: the projection's own view definitions. */
export async function createRecommendationViews(db: Sql, read: string, fixture: string): Promise<void> {
  for (const [name, query] of Object.entries(recommendationsProjection.views)) {
    await db.query(`CREATE VIEW ${read}.${name} AS ${query.replaceAll('{schema}', fixture)}`);
  }
}

/**
 * Replaces the lists of the users named in `rows`, stored as the projection stores them: one
 * ranked list per user of `[titleId, score, reasons, names?]` (the media type is the title id's
 * prefix; see lists.ts).
 */
export async function putRecommendationRows(db: Sql, fixture: string, rows: readonly RecommendationFixture[]): Promise<void> {
  await db.query(
    `INSERT INTO ${fixture}.recommendations (user_id, items)
     SELECT user_id, jsonb_agg(CASE WHEN names IS NULL THEN jsonb_build_array(title_id, score, reasons)
                                    ELSE jsonb_build_array(title_id, score, reasons, names) END ORDER BY rank)
       FROM json_to_recordset($1::json) AS r(user_id text, rank int, title_id text, score float8, reasons jsonb, names jsonb)
      GROUP BY user_id
     ON CONFLICT (user_id) DO UPDATE SET items = EXCLUDED.items`,
    [
      JSON.stringify(
        rows.map((row) => ({
          user_id: row.userId,
          rank: row.rank,
          title_id: row.titleId,
          score: row.score,
          reasons: row.reasons,
          names: row.names,
        })),
      ),
    ],
  );
}
