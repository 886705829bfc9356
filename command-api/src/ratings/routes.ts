import { CommandAccepted, RateTitleBody, TitleParams } from '@reeltime/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SECURED, problems } from '@reeltime/platform';
import { withPosition } from '../handling/answers.ts';
import { commandHooks } from '../handling/command-hooks.ts';
import { commandContext, type CommandSliceOptions } from '../handling/context.ts';
import { IDEMPOTENCY_HEADERS } from '../handling/docs.ts';
import { ratingDecider, ratingStreamId } from './index.ts';

/** Rating commands, registered under `/ratings`. */
export const ratingRoutes: FastifyPluginAsyncTypebox<CommandSliceOptions> = async (app, { executor, titles, hooks }) => {
  await app.register(commandHooks, hooks);
  const tags = ['ratings'];

  app.put(
    '/:titleId',
    {
      schema: {
        tags,
        security: SECURED,
        summary: 'Rate a title (replaces your rating and review)',
        headers: IDEMPOTENCY_HEADERS,
        params: TitleParams,
        body: RateTitleBody,
        response: { 200: CommandAccepted, ...problems(400, 401, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const context = commandContext(request);
      const { titleId } = request.params;
      await titles.requireTitle(titleId);
      const executed = await executor.execute(
        ratingDecider,
        ratingStreamId(context.userId, titleId),
        { type: 'RateTitle', actorId: context.userId, userId: context.userId, titleId, ...request.body },
        context,
      );
      withPosition(reply, executed);
      return { position: executed.position };
    },
  );

  app.delete(
    '/:titleId',
    {
      schema: {
        tags,
        security: SECURED,
        summary: 'Remove your rating',
        headers: IDEMPOTENCY_HEADERS,
        params: TitleParams,
        response: { 200: CommandAccepted, ...problems(400, 401, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const context = commandContext(request);
      const { titleId } = request.params;
      const executed = await executor.execute(
        ratingDecider,
        ratingStreamId(context.userId, titleId),
        { type: 'UnrateTitle', actorId: context.userId, userId: context.userId, titleId },
        context,
      );
      withPosition(reply, executed);
      return { position: executed.position };
    },
  );
};
