import { randomUUID } from 'node:crypto';
import {
  AddListItemBody,
  CreateListBody,
  ListChanged,
  ListCreatedAnswer,
  ListItemParams,
  ListParams,
  listStream,
  ReorderListBody,
  UpdateListBody,
} from '@reeltime/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SECURED, problems } from '@reeltime/platform';
import { ifMatchVersion, withVersion } from '../handling/answers.ts';
import { commandHooks } from '../handling/command-hooks.ts';
import { commandContext, type CommandSliceOptions } from '../handling/context.ts';
import { LIST_HEADERS } from '../handling/docs.ts';
import { deterministicUuid } from '../handling/event-ids.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listDecider, type ListCommand } from './index.ts';

const listStreamId = listStream;

/** The list commands, registered under `/lists`. */
export const listRoutes: FastifyPluginAsyncTypebox<CommandSliceOptions> = async (app, { executor, titles, hooks }) => {
  await app.register(commandHooks, hooks);
  const tags = ['lists'];

  /** Runs a command on an existing list, honouring If-Match, and answers its version and position. */
  const changeList = async (request: FastifyRequest, reply: FastifyReply, listId: string, command: ListCommand) => {
    const context = commandContext(request);
    const executed = await executor.execute(listDecider, listStreamId(listId), command, context, {
      expectedVersion: ifMatchVersion(request),
    });
    withVersion(reply, executed);
    return { version: executed.version, position: executed.position };
  };

  app.post(
    // The prefix itself: `POST /lists/` stays unrouted.
    '',
    {
      schema: {
        tags,
        security: SECURED,
        summary: 'Create a list',
        headers: LIST_HEADERS,
        body: CreateListBody,
        response: { 201: ListCreatedAnswer, ...problems(400, 401, 409, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const context = commandContext(request);
      // A retried creation must address the same list, not make a second one.
      const listId = context.idempotencyKey ? deterministicUuid('list', context.userId, context.idempotencyKey) : randomUUID();
      const executed = await executor.execute(
        listDecider,
        listStreamId(listId),
        { type: 'CreateList', listId, actorId: context.userId, ownerId: context.userId, ...request.body },
        context,
      );
      withVersion(reply, executed).header('location', `/lists/${listId}`).code(201);
      return { listId, version: executed.version, position: executed.position };
    },
  );

  app.patch(
    '/:listId',
    {
      schema: {
        tags,
        security: SECURED,
        summary: 'Rename, describe or change the visibility of a list',
        headers: LIST_HEADERS,
        params: ListParams,
        body: UpdateListBody,
        response: { 200: ListChanged, ...problems(400, 401, 403, 404, 409, 412, 422, 429) },
      },
    },
    async (request, reply) => {
      const { listId } = request.params;
      return changeList(request, reply, listId, { type: 'UpdateList', listId, actorId: request.userId!, ...request.body });
    },
  );

  app.delete(
    '/:listId',
    {
      schema: {
        tags,
        security: SECURED,
        summary: 'Delete a list (not the watchlist)',
        headers: LIST_HEADERS,
        params: ListParams,
        response: { 200: ListChanged, ...problems(400, 401, 403, 404, 409, 412, 422, 429) },
      },
    },
    async (request, reply) => {
      const { listId } = request.params;
      return changeList(request, reply, listId, { type: 'DeleteList', listId, actorId: request.userId! });
    },
  );

  app.post(
    '/:listId/items',
    {
      schema: {
        tags,
        security: SECURED,
        summary: 'Add a title to a list',
        headers: LIST_HEADERS,
        params: ListParams,
        body: AddListItemBody,
        response: { 200: ListChanged, ...problems(400, 401, 403, 404, 409, 412, 422, 429) },
      },
    },
    async (request, reply) => {
      const { listId } = request.params;
      await titles.requireTitle(request.body.titleId);
      return changeList(request, reply, listId, { type: 'AddListItem', listId, actorId: request.userId!, ...request.body });
    },
  );

  app.delete(
    '/:listId/items/:titleId',
    {
      schema: {
        tags,
        security: SECURED,
        summary: 'Remove a title from a list',
        headers: LIST_HEADERS,
        params: ListItemParams,
        response: { 200: ListChanged, ...problems(400, 401, 403, 404, 409, 412, 422, 429) },
      },
    },
    async (request, reply) => {
      const { listId, titleId } = request.params;
      return changeList(request, reply, listId, { type: 'RemoveListItem', listId, actorId: request.userId!, titleId });
    },
  );

  app.put(
    '/:listId/order',
    {
      schema: {
        tags,
        security: SECURED,
        summary: 'Reorder a list (a permutation of its items)',
        headers: LIST_HEADERS,
        params: ListParams,
        body: ReorderListBody,
        response: { 200: ListChanged, ...problems(400, 401, 403, 404, 409, 412, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const { listId } = request.params;
      return changeList(request, reply, listId, {
        type: 'ReorderListItems',
        listId,
        actorId: request.userId!,
        titleIds: request.body.titleIds,
      });
    },
  );
};
