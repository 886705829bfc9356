import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyError, type EventStore, type EventMetadataInput, type NewEvent } from '@reeltime/eventstore';
import type { ReelEvent } from '@reeltime/schemas';
import { CommandRefused, fold, type Decider } from '@reeltime/platform/decider';
import { deterministicUuid } from '../handling/event-ids.ts';
import type { StreamQueue } from '../handling/stream-queue.ts';

/** What one command came to: its events (none = already so), or the rule that refused it. */
export type Decided<Event> = { events: Event[] } | { refused: CommandRefused };

export type DecideManyContext = { store: EventStore; queue: StreamQueue; importId: string; metadata: EventMetadataInput };

/**
 * Several commands of an import on one stream: the stream is read and folded once, each command
 * decided against the state its predecessors left, and all their events appended together with
 * the version read (a conflict re-reads and decides again). A refused command refuses only
 * itself. Event ids derive from the import, stream and version, so an append retried after a
 * lost answer is recognised by the store instead of written twice.
 */
export async function decideMany<Command, State, Event extends ReelEvent>(
  context: DecideManyContext,
  decider: Decider<Command, State, Event>,
  stream: string,
  commands: readonly Command[],
): Promise<Decided<Event>[]> {
  const { store, queue, importId, metadata } = context;
  return queue.run(stream, async () => {
    for (let attempt = 1; ; attempt++) {
      const history = await store.readStream(stream);
      const version = history.at(-1)?.version ?? 0;
      let state = fold(decider, history as unknown as Event[]);
      const decided: Decided<Event>[] = [];
      const events: Event[] = [];
      for (const command of commands) {
        try {
          const produced = decider.decide(command, state);
          for (const event of produced) state = decider.evolve(state, event);
          events.push(...produced);
          decided.push({ events: produced });
        } catch (error) {
          if (!(error instanceof CommandRefused)) throw error;
          decided.push({ refused: error });
        }
      }
      if (events.length === 0) return decided;
      const toAppend = events.map(
        (event, index): NewEvent => ({ ...(event as ReelEvent), eventId: deterministicUuid('import-event', importId, stream, String(version + index)), metadata }),
      );
      try {
        await store.appendToStream(stream, toAppend, { expectedVersion: version === 0 ? 'no_stream' : version });
        return decided;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= 6) throw error;
        await sleep(Math.random() * 5 * 2 ** attempt);
      }
    }
  });
}
