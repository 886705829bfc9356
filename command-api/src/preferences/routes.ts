import { CommandAccepted, PreferencesBody } from '@reeltime/schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SECURED, problems } from '@reeltime/platform';
import { withPosition } from '../handling/answers.ts';
import { commandHooks } from '../handling/command-hooks.ts';
import { commandContext, type CommandSliceOptions } from '../handling/context.ts';
import { IDEMPOTENCY_HEADERS } from '../handling/docs.ts';
import { preferencesDecider, preferencesStreamId } from './index.ts';

/** The preferences command, registered under `/preferences`. */
export const preferenceRoutes: FastifyPluginAsyncTypebox<CommandSliceOptions> = async (app, { executor, hooks }) => {
  await app.register(commandHooks, hooks);
  app.put(
    // The prefix itself: `PUT /preferences/` stays unrouted.
    '',
    {
      schema: {
        tags: ['preferences'],
        security: SECURED,
        summary: 'Replace the given preference sections; only the difference is stored',
        headers: IDEMPOTENCY_HEADERS,
        body: PreferencesBody,
        response: { 200: CommandAccepted, ...problems(400, 401, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const context = commandContext(request);
      const executed = await executor.execute(
        preferencesDecider,
        preferencesStreamId(context.userId),
        { type: 'SetPreferences', actorId: context.userId, userId: context.userId, ...request.body },
        context,
      );
      withPosition(reply, executed);
      return { position: executed.position };
    },
  );
};
