import type { EventStore } from '@reeltime/eventstore';
import type { FastifyRequest } from 'fastify';
import type { CommandHooks } from './command-hooks.ts';
import type { CommandContext, CommandExecutor } from './execute.ts';
import type { TitleCatalog } from './titles.ts';

/** What the slices that take commands are registered with; built once in app.ts. */
export type CommandSliceOptions = {
  store: EventStore;
  executor: CommandExecutor;
  titles: TitleCatalog;
  /** Registered by each command slice in front of its routes (`commandHooks`). */
  hooks: CommandHooks;
};

export function commandContext(request: FastifyRequest): CommandContext {
  return { userId: request.userId!, requestId: request.id, idempotencyKey: request.idempotencyKey };
}
