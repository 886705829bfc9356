import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyError, type EventStore, type NewEvent, type Position } from '@reeltime/eventstore';
import type { ReelEvent } from '@reeltime/schemas';
import { HttpProblem } from '@reeltime/platform';
import { fold, type Decider } from '@reeltime/decider';
import { eventIdsFor } from './event-ids.ts';
import type { StreamQueue } from './stream-queue.ts';

/** Who asked, carried into every event's metadata. */
export type CommandContext = {
  userId: string;
  /** The request id: correlation and causation of the events a request appends. */
  requestId: string;
  idempotencyKey?: string;
};

export type Executed<State> = {
  /** Stream version after the command (unchanged when nothing was appended). */
  version: number;
  /** Position of the stream's last event: read models at or past it show this command's effect. */
  position: Position;
  state: State;
  appended: number;
};

export type ExecuteOptions = {
  /** `If-Match`: the stream version the client last saw. */
  expectedVersion?: number;
  /** Other instances may append to the same stream; these bound the retries on a conflict. */
  maxAttempts?: number;
};

export type CommandExecutor = {
  execute<Command, State, Event extends ReelEvent>(
    decider: Decider<Command, State, Event>,
    stream: string,
    command: Command,
    context: CommandContext,
    options?: ExecuteOptions,
  ): Promise<Executed<State>>;
};

/** Load the stream, decide, append with the expected version; retry a conflict after a jittered pause. */
export function commandExecutor(store: EventStore, queue: StreamQueue): CommandExecutor {
  return {
    execute: <Command, State, Event extends ReelEvent>(
      decider: Decider<Command, State, Event>,
      stream: string,
      command: Command,
      context: CommandContext,
      options: ExecuteOptions = {},
    ) =>
      queue.run(stream, async (): Promise<Executed<State>> => {
        const maxAttempts = options.maxAttempts ?? 6;
        const eventId = eventIdsFor({ userId: context.userId, idempotencyKey: context.idempotencyKey, stream });
        for (let attempt = 1; ; attempt++) {
          const history = await store.readStream(stream);
          const version = history.at(-1)?.version ?? 0;
          if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
            throw new HttpProblem(412, 'version_mismatch', `The stream is at version ${version}, not ${options.expectedVersion}.`, {
              headers: { etag: `"${version}"` },
            });
          }
          // A stream only ever holds its aggregate's events.
          const state = fold(decider, history as unknown as Event[]);
          const events = decider.decide(command, state);
          if (events.length === 0) {
            return { version, position: history.at(-1)?.position ?? store.startPosition, state, appended: 0 };
          }
          const occurredAt = new Date().toISOString();
          const metadata = { correlationId: context.requestId, causationId: context.requestId, userId: context.userId, occurredAt };
          const toAppend = events.map((event, index): NewEvent => ({
            ...(event as ReelEvent),
            eventId: eventId(version + index),
            metadata,
          }));
          try {
            const result = await store.appendToStream(stream, toAppend, { expectedVersion: version === 0 ? 'no_stream' : version });
            return {
              version: result.nextVersion,
              position: result.position,
              state: events.reduce(decider.evolve, state),
              appended: events.length,
            };
          } catch (error) {
            if (!(error instanceof ConcurrencyError) || attempt >= maxAttempts) throw error;
            await sleep(Math.random() * 5 * 2 ** attempt);
          }
        }
      }),
  };
}
