import { randomUUID } from 'node:crypto';
import { CommandAccepted, DiaryEntryParams, DiaryLogged, LogWatchBody } from '@reeltime/schemas';
import type { HttpService } from '@reeltime/platform';
import { latestCalendarDay, withPosition } from '../handling/answers.ts';
import { commandContext, type CommandRouteDeps } from '../handling/context.ts';
import { IDEMPOTENCY_HEADERS, SECURED, problems } from '../handling/docs.ts';
import { deterministicUuid } from '../handling/event-ids.ts';
import { diaryDecider, diaryStreamId } from './index.ts';

export function diaryRoutes(app: HttpService, deps: CommandRouteDeps): void {
  const { executor, titles, commandPreHandlers } = deps;
  const tags = ['diary'];

  app.post(
    '/diary',
    {
      preHandler: commandPreHandlers,
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
    '/diary/:entryId',
    {
      preHandler: commandPreHandlers,
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
}
