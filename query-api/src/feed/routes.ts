import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '@reeltime/platform';
import { ConsistencyHeaders, FeedPage, FeedQuery, type FeedEntry } from '@reeltime/schemas';
import { sql } from 'slonik';
import { iso, NOTHING, readQuery } from '../db.ts';
import type { RouteDeps } from '../deps.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../titles/summary.ts';

type Row = SummaryRow & {
  position: string;
  kind: FeedEntry['kind'];
  user_id: string;
  display_name: string | null;
  title_id: string | null;
  list_id: string | null;
  list_name: string | null;
  entry_id: string | null;
  data: Record<string, unknown>;
  occurred_at: string;
};

/** Public activity, registered under `/feed`. */
export const feedRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db, consistent }) => {
  app.get(
    // The prefix itself: `GET /feed/` stays unrouted.
    '',
    {
      preHandler: consistent(['activity']),
      schema: {
        tags: ['feed'],
        summary: 'Public activity, newest first',
        description: 'Page with `?before=<nextCursor>`. Entries of private lists never appear.',
        headers: ConsistencyHeaders,
        querystring: FeedQuery,
        response: { 200: FeedPage, ...problems(400, 429, 503) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 20;
      const { before } = request.query;
      const { feed, users, lists, titles, title_stats } = db.read;
      const rows = await db.any<Row>(
        readQuery`SELECT f.position, f.kind, f.user_id, u.display_name, f.title_id, f.list_id, l.name AS list_name, f.entry_id, f.data,
                ${iso('f.occurred_at')} AS occurred_at, ${SUMMARY_COLUMNS}
           FROM ${feed} f
           LEFT JOIN ${users} u ON u.user_id = f.user_id
           LEFT JOIN ${lists} l ON l.list_id = f.list_id
           LEFT JOIN ${titles} t ON t.title_id = f.title_id
           LEFT JOIN ${title_stats} s ON s.title_id = f.title_id
          ${before === undefined ? NOTHING : sql.fragment`WHERE f.position < ${before}`}
          ORDER BY f.position DESC LIMIT ${limit + 1}`,
      );
      const shown = rows.slice(0, limit);
      return {
        items: shown.map((row) => ({
          position: row.position,
          kind: row.kind,
          user: { userId: row.user_id, displayName: row.display_name },
          title: row.title_id ? toSummary(row, row.title_id) : null,
          list: row.list_id
            ? { listId: row.list_id, name: row.list_name ?? (typeof row.data.name === 'string' ? row.data.name : '') }
            : null,
          entryId: row.entry_id,
          data: row.data,
          occurredAt: row.occurred_at,
        })),
        nextCursor: rows.length > limit ? shown.at(-1)!.position : null,
      };
    },
  );
};
