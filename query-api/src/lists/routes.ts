import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpProblem, SECURED, optionalUser, problems, requireUser } from '@reeltime/platform';
import { ConsistencyHeaders, ListItemsQuery, ListPage, ListParams, ListView, PageQuery, UserParams } from '@reeltime/schemas';
import { OPTIONALLY_SECURED, type RouteDeps } from '../deps.ts';
import { listView, listsOf, userExists } from './queries.ts';

const ACTIVITY = ['activity'] as const;
const tags = ['lists'];
const headers = ConsistencyHeaders;

// The slice reads lists under three prefixes (whose lists: yours, a user's, one by id), so it is
// three plugins, each registered with its own prefix.

/** Your lists, registered under `/me/lists`. */
export const myListRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db, consistent }) => {
  app.get(
    // The prefix itself: `GET /me/lists/` stays unrouted.
    '',
    {
      preHandler: [requireUser, consistent(ACTIVITY)],
      schema: {
        tags,
        security: SECURED,
        summary: 'Your lists, the watchlist first',
        headers,
        querystring: PageQuery,
        response: { 200: ListPage, ...problems(400, 401, 429, 503) },
      },
    },
    async (request) => listsOf(db, request.userId!, { publicOnly: false, limit: request.query.limit ?? 20, cursor: request.query.cursor }),
  );
};

/** A user's public lists, registered under `/users`. */
export const userListRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db, consistent }) => {
  app.get(
    '/:userId/lists',
    {
      preHandler: consistent(ACTIVITY),
      schema: {
        tags,
        summary: "A user's public lists",
        headers,
        params: UserParams,
        querystring: PageQuery,
        response: { 200: ListPage, ...problems(400, 404, 429, 503) },
      },
    },
    async (request) => {
      const { userId } = request.params;
      if (!(await userExists(db, userId))) throw new HttpProblem(404, 'user_not_found', `No user ${userId}.`);
      return listsOf(db, userId, { publicOnly: true, limit: request.query.limit ?? 20, cursor: request.query.cursor });
    },
  );
};

/** One list with its items, registered under `/lists`. */
export const listRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db, consistent }) => {
  app.get(
    '/:listId',
    {
      preHandler: [optionalUser, consistent(ACTIVITY)],
      schema: {
        tags,
        security: OPTIONALLY_SECURED,
        summary: 'A list with its items in order (public lists, or yours)',
        description: 'The answer carries `ETag: "<version>"` for `If-Match` on the next change.',
        headers,
        params: ListParams,
        querystring: ListItemsQuery,
        response: { 200: ListView, ...problems(400, 401, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      const view = await listView(db, request.params.listId, request.userId, {
        limit: request.query.limit ?? 100,
        cursor: request.query.cursor,
      });
      // Someone else's private list is indistinguishable from a missing one (api.md).
      if (!view) throw new HttpProblem(404, 'list_not_found', `No list ${request.params.listId}.`);
      reply.header('etag', `"${view.version}"`);
      return view;
    },
  );
};
