import type { EventStore } from '@reeltime/eventstore';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { CommandContext, CommandExecutor } from './execute.ts';
import type { TitleCatalog } from './titles.ts';

/** What the feature route modules need; built once in app.ts. */
export type CommandRouteDeps = {
  store: EventStore;
  executor: CommandExecutor;
  titles: TitleCatalog;
  /** Authentication (active account), then Idempotency-Key handling. */
  commandPreHandlers: preHandlerAsyncHookHandler[];
};

export function commandContext(request: FastifyRequest): CommandContext {
  return { userId: request.userId!, requestId: request.id, idempotencyKey: request.idempotencyKey };
}
