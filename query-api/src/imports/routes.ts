import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpProblem, SECURED, problems, requireUser } from '@reeltime/platform';
import { ConsistencyHeaders, ImportParams, ImportStatus, type UnmatchedRow } from '@reeltime/schemas';
import { iso, readQuery } from '../db.ts';
import type { RouteDeps } from '../deps.ts';

const IMPORTS = ['imports'] as const;

type Row = {
  import_id: string;
  user_id: string;
  source: ImportStatus['source'];
  file_name: string;
  status: ImportStatus['status'];
  rows: number;
  matched: number;
  imported: number;
  already_present: number;
  unmatched_count: number;
  unmatched: UnmatchedRow[];
  failure: string | null;
  started_at: string;
  updated_at: string;
  position: string;
};

/** How an import is going, registered under `/imports` (command-api takes the uploads). */
export const importRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db, consistent }) => {
  app.get(
    '/:importId',
    {
      preHandler: [requireUser, consistent(IMPORTS)],
      schema: {
        tags: ['imports'],
        security: SECURED,
        summary: 'How one of your imports is going: counters and the rows not imported, with why',
        headers: ConsistencyHeaders,
        params: ImportParams,
        response: { 200: ImportStatus, ...problems(400, 401, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      const [row] = await db.any<Row>(
        readQuery`SELECT import_id, user_id, source, file_name, status, rows, matched, imported, already_present, unmatched_count, unmatched, failure,
                ${iso('started_at')} AS started_at, ${iso('updated_at')} AS updated_at, position
           FROM ${db.read.imports} WHERE import_id = ${request.params.importId}`,
      );
      // Someone else's import is as unknown as one that never was.
      if (row === undefined || row.user_id !== request.userId) throw new HttpProblem(404, 'import_not_found', 'No such import of yours.');
      // The row may be fresher than the position last heard of: X-Position is at least its own,
      // so reading the imported activity with it as X-Min-Position shows all of it.
      if (row.position > String(reply.getHeader('x-position') ?? '')) reply.header('x-position', row.position);
      return {
        importId: row.import_id,
        status: row.status,
        source: row.source,
        fileName: row.file_name,
        rows: row.rows,
        matched: row.matched,
        imported: row.imported,
        alreadyPresent: row.already_present,
        unmatchedCount: row.unmatched_count,
        unmatched: row.unmatched,
        failure: row.failure,
        startedAt: row.started_at,
        updatedAt: row.updated_at,
      };
    },
  );
};
