import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpProblem, optionalUser, problems } from '@reeltime/platform';
import {
  ConsistencyHeaders,
  GenreListAnswer,
  SimilarQuery,
  SimilarTitles,
  TitleDetails,
  TitlePage,
  TitleParams,
  TitleSearchQuery,
} from '@reeltime/schemas';
import { readQuery } from '../db.ts';
import { OPTIONALLY_SECURED, type RouteDeps } from '../deps.ts';
import { titleDetails } from './details.ts';
import { searchTitles } from './search.ts';
import { similarTitles } from './similar.ts';

const CATALOG_AND_STATS = ['catalog', 'activity'] as const;
// Neighbours come from the recommendations projection, their summaries from catalog and activity.
const SIMILAR = ['catalog', 'activity', 'recommendations'] as const;

const tags = ['titles'];
const headers = ConsistencyHeaders;

/** Search, details and similar titles, registered under `/titles`. */
export const titleRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db, consistent }) => {
  app.get(
    // The prefix itself: `GET /titles/` stays unrouted.
    '',
    {
      preHandler: consistent(CATALOG_AND_STATS),
      schema: {
        tags,
        summary: 'Search and browse titles',
        headers,
        querystring: TitleSearchQuery,
        response: { 200: TitlePage, ...problems(400, 429, 503) },
      },
    },
    async (request) => searchTitles(db, request.query),
  );

  app.get(
    '/:titleId',
    {
      preHandler: [optionalUser, consistent(CATALOG_AND_STATS)],
      schema: {
        tags,
        security: OPTIONALLY_SECURED,
        summary: 'A title with its stats, and your rating, lists and watches when authenticated',
        headers,
        params: TitleParams,
        response: { 200: TitleDetails, ...problems(400, 401, 404, 429, 503) },
      },
    },
    async (request) => {
      const details = await titleDetails(db, request.params.titleId, request.userId);
      if (!details) throw new HttpProblem(404, 'title_not_found', `No title ${request.params.titleId}.`);
      return details;
    },
  );

  app.get(
    '/:titleId/similar',
    {
      preHandler: consistent(SIMILAR),
      schema: {
        tags,
        summary: 'Titles like this one, most similar first (precomputed by the recommendations projection)',
        headers,
        params: TitleParams,
        querystring: SimilarQuery,
        response: { 200: SimilarTitles, ...problems(400, 404, 429, 503) },
      },
    },
    async (request) => {
      const similar = await similarTitles(db, request.params.titleId, request.query.limit ?? 10);
      if (!similar) throw new HttpProblem(404, 'title_not_found', `No title ${request.params.titleId}.`);
      return similar;
    },
  );
};

/** The genre list, registered under `/genres`: catalog data beside the titles. */
export const genreRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db, consistent }) => {
  app.get(
    '',
    {
      preHandler: consistent(['catalog']),
      schema: { tags, summary: 'The genre list', headers, response: { 200: GenreListAnswer, ...problems(429, 503) } },
    },
    async () => db.any<{ id: number; name: string }>(readQuery`SELECT genre_id AS id, name FROM ${db.read.genres} ORDER BY name, genre_id`),
  );
};
