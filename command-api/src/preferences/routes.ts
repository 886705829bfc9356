import { CommandAccepted, PreferencesBody } from '@reeltime/schemas';
import type { HttpService } from '@reeltime/platform';
import { withPosition } from '../handling/answers.ts';
import { commandContext, type CommandRouteDeps } from '../handling/context.ts';
import { IDEMPOTENCY_HEADERS, SECURED, problems } from '../handling/docs.ts';
import { preferencesDecider, preferencesStreamId } from './index.ts';

export function preferenceRoutes(app: HttpService, deps: CommandRouteDeps): void {
  const { executor, commandPreHandlers } = deps;
  app.put(
    '/preferences',
    {
      preHandler: commandPreHandlers,
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
}
