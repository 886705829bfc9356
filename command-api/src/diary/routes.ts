import { randomUUID } from 'node:crypto';
import { CommandAccepted, DiaryEntryParams, DiaryLogged, LogWatchBody } from '@reeltime/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SECURED, problems } from '@reeltime/platform';
import { latestCalendarDay, withPosition } from '../handling/answers.ts';
import { commandHooks } from '../handling/command-hooks.ts';
import { commandContext, type CommandSliceOptions } from '../handling/context.ts';
import { IDEMPOTENCY_HEADERS } from '../handling/docs.ts';
import { deterministicUuid } from '../handling/event-ids.ts';
import { diaryDecider, diaryStreamId } from './index.ts';

/** Diary commands, registered under `/diary`. */
export const diaryRoutes: FastifyPluginAsyncTypebox<CommandSliceOptions> = async (app, { executor, titles, hooks }) => {
  await app.register(commandHooks, hooks);
  const tags = ['diary'];

  app.post(
    // The prefix itself: `POST /diary/` stays unrouted.
    '',
    {
      schema: {
        tags,
        security: SECURED,
        summary: 'Log a watch (rewatches are separate entries)',
        headers: IDEMPOTENCY_HEADERS,
        body: LogWatchBody,
        response: { 201: DiaryLogged, ...problems(400, 401, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const context = commandContext(request);
      await titles.requireTitle(request.body.titleId);
      const entryId = context.idempotencyKey ? deterministicUuid('diary', context.userId, context.idempotencyKey) : randomUUID();
      const executed = await executor.execute(
        diaryDecider,
        diaryStreamId(context.userId),
        { type: 'LogWatch', actorId: context.userId, userId: context.userId, entryId, today: latestCalendarDay(), ...request.body },
        context,
      );
      withPosition(reply, executed).code(201);
      return { entryId, position: executed.position };
    },
  );

  app.delete(
    '/:entryId',
    {
      schema: {
        tags,
        security: SECURED,
        summary: 'Remove a diary entry',
        headers: IDEMPOTENCY_HEADERS,
        params: DiaryEntryParams,
        response: { 200: CommandAccepted, ...problems(400, 401, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const context = commandContext(request);
      const executed = await executor.execute(
        diaryDecider,
        diaryStreamId(context.userId),
        { type: 'RemoveDiaryEntry', actorId: context.userId, userId: context.userId, entryId: request.params.entryId },
        context,
      );
      withPosition(reply, executed);
      return { position: executed.position };
    },
  );
};
