import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyError, DuplicateEventIdError, type EventStore, type EventMetadataInput, type NewEvent } from '@reeltime/eventstore';
import type { PostgresEventStore } from '@reeltime/eventstore/postgres';
import pLimit from 'p-limit';
import type { ReelEvent } from '@reeltime/schemas';
import { CommandRefused, fold, type Decider } from '@reeltime/decider';
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

const isPostgres = (store: EventStore): store is PostgresEventStore =>
  typeof (store as Partial<PostgresEventStore>).appendToStreams === 'function';

/**
 * Commands on many small streams (an import's ratings, one stream per title). With the
 * PostgreSQL store the whole batch is read in one query, decided stream by stream, and
 * appended in one statement of one transaction, each stream with its expected version: a
 * round trip or two per batch instead of two per title. A conflict (someone rated meanwhile)
 * or an event id already stored (a retry after a lost answer) writes nothing and sends the
 * batch stream by stream, where each stream is read and decided again.
 */
export async function decideAcross<Command, State, Event extends ReelEvent>(
  context: DecideManyContext,
  decider: Decider<Command, State, Event>,
  work: readonly { stream: string; commands: readonly Command[] }[],
): Promise<Decided<Event>[][]> {
  const limit = pLimit(16);
  const { store } = context;
  const oneByOne = () => Promise.all(work.map(({ stream, commands }) => limit(() => decideMany(context, decider, stream, commands))));
  if (!isPostgres(store)) return oneByOne();
  const histories = await store.readStreams(work.map(({ stream }) => stream));
  const read = work.map(({ stream, commands }) => {
    const history = histories.get(stream)!;
    const version = history.at(-1)?.version ?? 0;
    return { stream, version, ...decideAll(decider, fold(decider, history as unknown as Event[]), commands) };
  });
  const appends = read
    .filter(({ events }) => events.length > 0)
    .map(({ stream, version, events }) => ({
      stream,
      events: withIds(context, stream, version, events),
      expectedVersion: version === 0 ? ('no_stream' as const) : version,
    }));
  try {
    if (appends.length > 0) await store.appendToStreams(appends);
    return read.map((r) => r.decided);
  } catch (error) {
    if (!(error instanceof ConcurrencyError) && !(error instanceof DuplicateEventIdError)) throw error;
    return oneByOne();
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
