import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpProblem, SECURED, problems, requireUser } from '@reeltime/platform';
import { ConsistencyHeaders, ExportQuery } from '@reeltime/schemas';
import { Type } from 'typebox';
import type { RouteDeps } from '../deps.ts';
import { exportJson } from './json.ts';
import { profileQuery, type ProfileRow } from './rows.ts';
import { ExportSnapshot } from './snapshot.ts';
import { exportLetterboxd } from './zip.ts';

// Names and titles come from the catalog, everything else from activity.
const READS = ['catalog', 'activity'] as const;

export type ExportLimits = {
  /** Exports running at once in this process: each holds one pooled connection while it streams. */
  concurrent: number;
  /** Longest an export may take, slow client included; then it is cut off. */
  maxMs: number;
};

export const DEFAULT_EXPORT_LIMITS: ExportLimits = { concurrent: 2, maxMs: 10 * 60_000 };

const FORMATS = {
  json: { type: 'application/json; charset=utf-8', extension: 'json', write: exportJson },
  letterboxd: { type: 'application/zip', extension: 'zip', write: exportLetterboxd },
} as const;

/** `GET /me/export`, registered under `/me/export`. */
export const exportRoutes: FastifyPluginAsyncTypebox<RouteDeps & { limits?: ExportLimits }> = async (
  app,
  { db, consistent, limits = DEFAULT_EXPORT_LIMITS },
) => {
  let running = 0;
  // A download in progress is not an idle connection: closing the server would wait for a client
  // that stopped reading until the export's own limit. Shutting down ends them instead (their
  // clients see a cut-off download).
  const downloads = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const response of downloads) response.destroy();
  });

  app.get(
    // The prefix itself: `GET /me/export/` stays unrouted.
    '',
    {
      preHandler: [requireUser, consistent(READS)],
      schema: {
        tags: ['me'],
        security: SECURED,
        summary: 'Everything you have: one JSON document, or a zip for Letterboxd',
        description:
          '`format=json` (the default) is one `ExportDocument`: profile, preferences, lists with items and notes, ratings with reviews, diary. ' +
          "`format=letterboxd` is a zip in Letterboxd's export layout (ratings.csv, diary.csv, watched.csv, watchlist.csv, reviews.csv, lists/*.csv) " +
          "with `tmdbID` and `imdbID` columns after Letterboxd's own, films only, and a README.txt saying what was left out. " +
          'Streamed from one consistent snapshot of the read models; a failure after the first byte ends the download early rather than with a problem.',
        headers: ConsistencyHeaders,
        querystring: ExportQuery,
        produces: ['application/json', 'application/zip'],
        response: {
          200: {
            description: 'The export, as an attachment',
            content: {
              'application/json': { schema: Type.Ref('ExportDocument') },
              'application/zip': { schema: Type.String({ format: 'binary' }) },
            },
          },
          ...problems(400, 401, 404, 429, 503),
        },
      },
    },
    async (request, reply) => {
      if (running >= limits.concurrent) {
        throw new HttpProblem(503, 'export_busy', 'Other exports are running right now; retry shortly.', {
          headers: { 'retry-after': '5' },
        });
      }
      const format = FORMATS[request.query.format ?? 'json'];
      const userId = request.userId!;
      running++;
      let snapshot: ExportSnapshot | undefined;
      let profile: ProfileRow | undefined;
      try {
        snapshot = await ExportSnapshot.open(db, limits.maxMs);
        [profile] = await snapshot.rows<ProfileRow>(profileQuery(snapshot.read, userId));
        if (!profile)
          throw new HttpProblem(
            404,
            'not_found',
            'This account has no data to export (it was erased, or is not projected yet: send X-Min-Position).',
          );
      } catch (error) {
        running--;
        await snapshot?.close();
        throw error;
      }

      const exportedAt = new Date().toISOString();
      const body = Readable.from(format.write(snapshot, profile, exportedAt), { objectMode: false });
      const cutOff = setTimeout(() => body.destroy(new Error(`export not finished after ${limits.maxMs} ms`)), limits.maxMs);
      // 'close' comes after the generator has returned (its cursors closed), whether the export
      // finished, failed or the client went away.
      body.once('close', () => {
        clearTimeout(cutOff);
        running--;
        void snapshot.close();
      });
      body.once('error', (error) => request.log.warn({ err: error, userId, format: request.query.format ?? 'json' }, 'export cut short'));
      downloads.add(reply.raw);
      reply.raw.once('close', () => {
        downloads.delete(reply.raw);
        if (!body.destroyed) body.destroy();
      });
      return reply
        .type(format.type)
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="reeltime-export-${exportedAt.slice(0, 10)}.${format.extension}"`)
        .send(body);
    },
  );
};
