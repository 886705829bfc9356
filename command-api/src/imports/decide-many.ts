import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyError, type EventStore, type EventMetadataInput, type NewEvent } from '@reeltime/eventstore';
import type { PostgresEventStore } from '@reeltime/eventstore/postgres';
import { inTransaction } from '@reeltime/eventstore/transactions';
import pLimit from 'p-limit';
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
function decideAll<Command, State, Event>(
  decider: Decider<Command, State, Event>,
  state: State,
  commands: readonly Command[],
): { decided: Decided<Event>[]; events: Event[] } {
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
  return { decided, events };
}

const withIds = <Event extends ReelEvent>(context: DecideManyContext, stream: string, version: number, events: Event[]) =>
  events.map((event, index): NewEvent => ({
    ...(event as ReelEvent),
    eventId: deterministicUuid('import-event', context.importId, stream, String(version + index)),
    metadata: context.metadata,
  }));

const hasAppendWithin = (store: EventStore): store is PostgresEventStore =>
  typeof (store as Partial<PostgresEventStore>).appendWithin === 'function';

/**
 * Commands on many small streams (an import's ratings, one stream per title). Every stream is
 * read and decided on its own; with the PostgreSQL store the appends of a whole batch then go
 * in one transaction (one commit instead of one per title), each still with its expected
 * version. A conflict (someone rated meanwhile) sends the batch stream by stream.
 */
export async function decideAcross<Command, State, Event extends ReelEvent>(
  context: DecideManyContext,
  decider: Decider<Command, State, Event>,
  work: readonly { stream: string; commands: readonly Command[] }[],
): Promise<Decided<Event>[][]> {
  const limit = pLimit(16);
  const { store } = context;
  if (!hasAppendWithin(store))
    return Promise.all(work.map(({ stream, commands }) => limit(() => decideMany(context, decider, stream, commands))));
  const read = await Promise.all(
    work.map(({ stream, commands }) =>
      limit(async () => {
        const history = await store.readStream(stream);
        const version = history.at(-1)?.version ?? 0;
        return { stream, version, ...decideAll(decider, fold(decider, history as unknown as Event[]), commands) };
      }),
    ),
  );
  try {
    await inTransaction(store.pool, async (client) => {
      for (const { stream, version, events } of read) {
        if (events.length > 0)
          await store.appendWithin(client, stream, withIds(context, stream, version, events), {
            expectedVersion: version === 0 ? 'no_stream' : version,
          });
      }
    });
    return read.map((r) => r.decided);
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    return Promise.all(work.map(({ stream, commands }) => limit(() => decideMany(context, decider, stream, commands))));
  }
}

export async function decideMany<Command, State, Event extends ReelEvent>(
  context: DecideManyContext,
  decider: Decider<Command, State, Event>,
  stream: string,
  commands: readonly Command[],
): Promise<Decided<Event>[]> {
  const { store, queue } = context;
  return queue.run(stream, async () => {
    for (let attempt = 1; ; attempt++) {
      const history = await store.readStream(stream);
      const version = history.at(-1)?.version ?? 0;
      const { decided, events } = decideAll(decider, fold(decider, history as unknown as Event[]), commands);
      if (events.length === 0) return decided;
      const toAppend = withIds(context, stream, version, events);
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
