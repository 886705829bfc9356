import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SECURED, problems, requireUser } from '@reeltime/platform';
import {
  ConsistencyHeaders,
  DiaryPage,
  PageQuery,
  PreferencesView,
  RatingPage,
  Recommendations,
  RecommendationsQuery,
} from '@reeltime/schemas';
import type { PositionTracker } from '../consistency/positions.ts';
import type { RouteDeps } from '../deps.ts';
import { myDiary, myPreferences, myRatings } from './history.ts';
import { recommendationsFor } from './recommendations.ts';

const ACTIVITY = ['activity'] as const;
// The projection's ranked list, with each title's summary from the catalog and its rating from
// activity: read-your-writes waits for all three.
const RECOMMENDED = ['catalog', 'activity', 'recommendations'] as const;

/** Your ratings, diary, preferences and recommendations, registered under `/me`. */
export const meRoutes: FastifyPluginAsyncTypebox<RouteDeps & { tracker: PositionTracker }> = async (app, { db, consistent, tracker }) => {
  const tags = ['me'];
  const headers = ConsistencyHeaders;
  const preHandler = [requireUser, consistent(ACTIVITY)];

  app.get(
    '/ratings',
    {
      preHandler,
      schema: {
        tags,
        security: SECURED,
        summary: 'Your ratings, latest first',
        headers,
        querystring: PageQuery,
        response: { 200: RatingPage, ...problems(400, 401, 429, 503) },
      },
    },
    async (request) => myRatings(db, request.userId!, request.query.limit ?? 20, request.query.cursor),
  );

  app.get(
    '/diary',
    {
      preHandler,
      schema: {
        tags,
        security: SECURED,
        summary: 'Your diary, latest watch first',
        headers,
        querystring: PageQuery,
        response: { 200: DiaryPage, ...problems(400, 401, 429, 503) },
      },
    },
    async (request) => myDiary(db, request.userId!, request.query.limit ?? 20, request.query.cursor),
  );

  app.get(
    '/preferences',
    {
      preHandler,
      schema: {
        tags,
        security: SECURED,
        summary: 'Your preferences (empty until you set some)',
        headers,
        response: { 200: PreferencesView, ...problems(400, 401, 429, 503) },
      },
    },
    async (request) => myPreferences(db, request.userId!),
  );

  app.get(
    '/recommendations',
    {
      preHandler: [requireUser, consistent(RECOMMENDED)],
      schema: {
        tags,
        security: SECURED,
        summary: 'Titles for you, best first, each with 1–3 reasons',
        description:
          "Precomputed by the recommendations projection from your ratings, diary, lists and preferences (and everyone else's); titles you rated, watched or put on a list, and those of genres you dislike, are left out. " +
          "Someone with no history yet gets the trending and popular titles. Pages with `cursor` (the previous page's `nextCursor`, same `type`).",
        headers,
        querystring: RecommendationsQuery,
        response: { 200: Recommendations, ...problems(400, 401, 429, 503) },
      },
    },
    async (request) => {
      // Read before the query, so the answer is at least as fresh as the position it claims.
      const position = tracker.current(RECOMMENDED);
      const { limit = 20, type, cursor } = request.query;
      const found = await recommendationsFor(db, request.userId!, { limit, type, cursor });
      return { ...found, position };
    },
  );
};
